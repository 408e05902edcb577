namespace Fer.Inference.Apis;

public static class InferenceDefaults
{
    /// <summary>Where a replica listens when run on its own (the AppHost passes ASPNETCORE_URLS instead).</summary>
    public const string Url = "http://localhost:5200";
}
