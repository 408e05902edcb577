namespace Fer.Benchmarks;

/// <summary>One concurrency level against the service: throughput, latency percentiles, the batches the service formed.</summary>
public sealed record InferenceLoadResult(int Concurrency, int Requests, int Failures, double ImagesPerSecond, double P50Ms, double P99Ms, double MeanBatch);
