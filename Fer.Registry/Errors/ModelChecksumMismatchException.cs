namespace Fer.Registry.Errors;

/// <summary>A version's bytes, read back whole, do not hash to the SHA-256 recorded when it was published.</summary>
public sealed class ModelChecksumMismatchException(string version, string expectedSha256, string actualSha256)
    : ModelIntegrityException(
        $"model version '{version}' failed its checksum: SHA-256 is {actualSha256}, expected {expectedSha256}", version)
{
    public string ExpectedSha256 { get; } = expectedSha256;
    public string ActualSha256 { get; } = actualSha256;
}
