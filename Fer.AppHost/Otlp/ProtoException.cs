namespace Fer.AppHost.Otlp;

/// <summary>The bytes are not a valid protobuf message (the message says where).</summary>
public sealed class ProtoException(string message) : Exception(message);
