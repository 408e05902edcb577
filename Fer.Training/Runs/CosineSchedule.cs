namespace Fer.Training.Runs;

/// <summary>Cosine decay over a phase's planned steps, from the phase's learning rate to <c>minFactor</c> of it; a
/// function of the step alone, so a resumed run continues on the same curve.</summary>
public sealed record CosineSchedule(double BaseLearningRate, long TotalSteps, double MinFactor)
{
    public double At(long step)
    {
        var progress = TotalSteps <= 1 ? 0 : Math.Clamp((double)step / (TotalSteps - 1), 0, 1);
        var factor = MinFactor + (1 - MinFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
        return BaseLearningRate * factor;
    }
}
