using Microsoft.Extensions.Logging;

namespace Fer.Tests.Inference;

internal sealed record RecordedLog(LogLevel Level, string Category, string Message, Exception? Exception);
