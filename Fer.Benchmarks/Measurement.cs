namespace Fer.Benchmarks;

/// <summary>One timed configuration: images per second from the median batch time, that time, and how many runs it took.</summary>
public sealed record Measurement(double ImagesPerSecond, double MedianBatchMilliseconds, int Runs);
