using Fer.Faces;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Faces;

/// <summary>Checks <see cref="FaceFinderOptions"/>' ranges at start-up (generated from their attributes).</summary>
[OptionsValidator]
public sealed partial class FaceFinderOptionsValidator : IValidateOptions<FaceFinderOptions>;
