namespace Fer.AppHost.Hosting;

/// <summary>A bad AppHost setting; the message names the key.</summary>
public sealed class OptionsException(string message) : Exception(message);
