namespace Fer.Gateway.Apis;

public static class GatewayDefaults
{
    /// <summary>The front door's documented port.</summary>
    public const string Url = "http://localhost:8080";
}
