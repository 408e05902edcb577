namespace Fer.Training.Runs;

/// <summary>One invalid training setting: its field (the JSON name, e.g. <c>imageSize</c>) and what is wrong with it,
/// worded to follow the field's name as each front end spells it (<c>'imageSize' ...</c>, <c>--image-size ...</c>).</summary>
public sealed record OptionError(string Field, string Problem);
