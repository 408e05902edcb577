using Fer.Benchmarks;

return args is ["onnx", .. var rest]
    ? OnnxBenchmark.Run(OnnxBenchmarkOptions.Parse(rest), Console.Out)
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Fer.Benchmarks -- onnx [--sizes 224,128] [--batches 1,32] [--seconds 5] [--threads N]");
    return 1;
}
