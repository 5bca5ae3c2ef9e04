namespace Aigc.Training;

/// <summary>The outcome of a training run.</summary>
public sealed record TrainingResult
{
    /// <summary>Gets the optimizer steps done.</summary>
    public int Steps { get; init; }

    /// <summary>Gets the training loss of the last step.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Gets the last validation loss, or <see langword="null"/> without a validation set.</summary>
    public double? EvalLoss { get; init; }

    /// <summary>Gets the best validation loss seen.</summary>
    public double? BestEvalLoss { get; init; }

    /// <summary>Gets the validation perplexity, exp(<see cref="EvalLoss"/>).</summary>
    public double? EvalPerplexity => EvalLoss is { } loss ? Math.Exp(loss) : null;

    /// <summary>Gets whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Gets the step the run resumed from, or 0.</summary>
    public int ResumedFromStep { get; init; }

    /// <summary>Gets the folder of the final artifact (adapter or model).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Gets the evaluation history: (step, validation loss).</summary>
    public IReadOnlyList<(int Step, double Loss)> EvalHistory { get; init; } = [];

    /// <summary>Gets the training loss history: (step, loss).</summary>
    public IReadOnlyList<(int Step, double Loss)> LossHistory { get; init; } = [];
}
