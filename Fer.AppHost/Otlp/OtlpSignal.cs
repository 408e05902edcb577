namespace Fer.AppHost.Otlp;

public enum OtlpSignal
{
    Traces,
    Logs,
    Metrics,
}
