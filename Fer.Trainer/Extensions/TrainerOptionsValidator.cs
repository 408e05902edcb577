using Microsoft.Extensions.Options;

namespace Fer.Trainer.Extensions;

/// <summary>Checks <see cref="TrainerOptions"/>' data annotations at start; the options source generator writes the code.</summary>
[OptionsValidator]
public sealed partial class TrainerOptionsValidator : IValidateOptions<TrainerOptions>;
