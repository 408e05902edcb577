namespace Fer.Benchmarks;

/// <summary>One concurrency level against the service: throughput, client latency percentiles, the batches the service
/// formed, and the medians of the model run and of the server-side total that the service reported in its timings.</summary>
public sealed record InferenceLoadResult(int Concurrency, int Requests, int Failures, double ImagesPerSecond, double P50Ms, double P99Ms, double MeanBatch,
    double P50ModelMs, double P50ServerMs);
