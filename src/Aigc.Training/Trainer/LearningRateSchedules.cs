namespace Aigc.Training;

/// <summary>The multiplier of the base learning rate at a step, as the Hugging Face Trainer computes it.</summary>
public static class LearningRateSchedules
{
    /// <summary>Returns the learning-rate factor at <paramref name="step"/> (0-based optimizer steps).</summary>
    /// <param name="schedule">The schedule after warm-up.</param>
    /// <param name="step">The optimizer step.</param>
    /// <param name="warmupSteps">The warm-up length W: the factor is <c>step / max(1, W)</c> before it.</param>
    /// <param name="totalSteps">The total number of optimizer steps T.</param>
    /// <returns>The factor in [0, 1].</returns>
    public static double Factor(LearningRateSchedule schedule, int step, int warmupSteps, int totalSteps)
    {
        if (step < warmupSteps)
        {
            return (double)step / Math.Max(1, warmupSteps);
        }

        return schedule switch
        {
            LearningRateSchedule.Constant => 1.0,
            LearningRateSchedule.Linear => Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps)),
            _ => Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * ((double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps))))),
        };
    }
}
