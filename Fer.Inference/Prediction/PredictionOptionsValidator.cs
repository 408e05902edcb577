using Fer.Inference.Batching;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Prediction;

/// <summary>The one rule of <see cref="PredictionOptions"/> that reads another section: a request's images run in one
/// batch, so there may be no more of them than a batch holds (the attributes check the rest).</summary>
public sealed class PredictionOptionsValidator(IOptions<BatchingOptions> batching) : IValidateOptions<PredictionOptions>
{
    public ValidateOptionsResult Validate(string? name, PredictionOptions options)
    {
        var maxBatch = batching.Value.MaxBatchSize;
        return options.MaxImagesPerRequest <= maxBatch
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PredictionOptions.SectionName}:MaxImagesPerRequest ({options.MaxImagesPerRequest}) must not exceed " +
                $"{BatchingOptions.SectionName}:MaxBatchSize ({maxBatch}): a request's images run in one batch");
    }
}
