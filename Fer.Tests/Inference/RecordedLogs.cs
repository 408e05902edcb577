using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.Inference;

/// <summary>Every log entry of a host with its level and exception, so a test can tell a warning from an error.</summary>
internal sealed class RecordedLogs : ILoggerProvider
{
    public ConcurrentQueue<RecordedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new RecordedLog(logLevel, category, formatter(state, exception), exception));
    }
}
