using System.Diagnostics.Metrics;

namespace Aigc.Training;

/// <summary>The <c>Aigc.Training</c> meter and its instrument names (kept in one place: they may change).</summary>
public static class TrainingTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string MeterName = "Aigc.Training";

    /// <summary>Optimizer steps done (counter).</summary>
    public const string Steps = "aigc.training.steps";

    /// <summary>Training tokens processed (counter, <c>{token}</c>).</summary>
    public const string Tokens = "aigc.training.tokens";

    /// <summary>Wall time of one optimizer step (histogram, seconds).</summary>
    public const string StepDuration = "aigc.training.step.duration";

    /// <summary>Training loss of each step (histogram).</summary>
    public const string Loss = "aigc.training.loss";

    /// <summary>Validation loss of each evaluation (histogram).</summary>
    public const string EvalLoss = "aigc.training.eval.loss";

    internal static readonly IReadOnlyList<double> StepDurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    internal static Meter CreateMeter(IMeterFactory? factory) =>
        factory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
}
