namespace Fer.Contracts;

/// <summary>The model's classes in output order: the FER2013 codes 0..6. The one list every part of Fer uses.</summary>
public static class EmotionLabels
{
    public static IReadOnlyList<string> Names { get; } = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    public static int Count => Names.Count;

    /// <summary>The class index of a name, ignoring case (folder names such as <c>Happy</c> or <c>HAPPY</c>).</summary>
    public static bool TryParse(string name, out int index)
    {
        for (index = 0; index < Names.Count; index++)
            if (string.Equals(Names[index], name, StringComparison.OrdinalIgnoreCase)) return true;
        index = -1;
        return false;
    }
}
