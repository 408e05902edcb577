namespace Fer.Inference.Contracts;

/// <summary>Where one request's time went, in milliseconds: <c>DecodeMs</c> decoding, finding and cropping the faces,
/// <c>QueueMs</c> and <c>InferenceMs</c> its model run(s); <c>BatchSize</c> is how many faces shared its model run.</summary>
public sealed record PredictionTimings(double DecodeMs, double QueueMs, double InferenceMs, double TotalMs, int BatchSize);
