namespace Fer.Inference.Contracts;

/// <summary>Where one request's time went, in milliseconds; <c>BatchSize</c> is how many images shared its model run.</summary>
public sealed record PredictionTimings(double DecodeMs, double QueueMs, double InferenceMs, double TotalMs, int BatchSize);
