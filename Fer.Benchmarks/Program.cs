using Fer.Benchmarks;

try
{
    return args switch
    {
        ["onnx", .. var rest] => OnnxBenchmark.Run(OnnxBenchmarkOptions.Parse(rest), Console.Out),
        ["cnn48", .. var rest] => Cnn48Benchmark.Run(Cnn48BenchmarkOptions.Parse(rest), Console.Out),
        ["inference", .. var rest] => await InferenceBenchmark.RunAsync(InferenceBenchmarkOptions.Parse(rest), Console.Out),
        ["photos", .. var rest] => await PhotoBenchmark.RunAsync(PhotoBenchmarkOptions.Parse(rest), Console.Out),
        ["decode", .. var rest] => DecodeBenchmark.Run(rest, Console.Out),
        ["faces-fit", .. var rest] => FacesFitBenchmark.Run(FacesFitOptions.Parse(rest), Console.Out),
        ["agreement", .. var rest] => AgreementBenchmark.Run(rest, Console.Out),
        ["shadow-cost", .. var rest] => await ShadowCostBenchmark.RunAsync(ShadowCostOptions.Parse(rest), Console.Out),
        ["rollout-scenario", .. var rest] => await RolloutScenario.RunAsync(RolloutScenarioOptions.Parse(rest), Console.Out),
        ["monitoring-loop", .. var rest] => await MonitoringLoop.RunAsync(MonitoringLoopOptions.Parse(rest), Console.Out),
        ["label-free-estimates", .. var rest] => LabelFreeEstimatesBenchmark.Run(LabelFreeEstimatesOptions.Parse(rest), Console.Out),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or FormatException or DirectoryNotFoundException or HttpRequestException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Fer.Benchmarks -- onnx [--sizes 224,128] [--batches 1,32] [--seconds 5] [--threads N]");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {Cnn48BenchmarkOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {InferenceBenchmarkOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {PhotoBenchmarkOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {DecodeBenchmark.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {FacesFitOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {AgreementBenchmark.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {ShadowCostOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {RolloutScenarioOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {MonitoringLoopOptions.Usage}");
    Console.Error.WriteLine($"       dotnet run -c Release --project Fer.Benchmarks -- {LabelFreeEstimatesOptions.Usage}");
    return 1;
}
