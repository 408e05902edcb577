namespace Fer.Tests.Gateway;

internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers);
