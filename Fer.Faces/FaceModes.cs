using System.Diagnostics.CodeAnalysis;

namespace Fer.Faces;

public static class FaceModes
{
    public const string Names = "detect, whole or centre";

    public static string Name(this FaceMode mode) => mode switch
    {
        FaceMode.Whole => "whole",
        FaceMode.Centre => "centre",
        _ => "detect",
    };

    /// <summary>Parses <c>detect</c>, <c>whole</c>, <c>centre</c> (or <c>center</c>), in any case.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FaceMode? mode)
    {
        mode = text?.Trim().ToLowerInvariant() switch
        {
            "detect" => FaceMode.Detect,
            "whole" => FaceMode.Whole,
            "centre" or "center" => FaceMode.Centre,
            _ => null,
        };
        return mode is not null;
    }
}
