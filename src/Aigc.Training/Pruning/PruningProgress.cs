namespace Aigc.Training;

/// <summary>Progress of a pruning pass, reported after each stage's unit of work.</summary>
/// <param name="Stage">What is being done: <c>rank</c> (scoring weights or units), <c>calibrate</c> (gradients on the calibration set) or <c>prune</c> (masking or rebuilding layers).</param>
/// <param name="Done">Units of the stage done.</param>
/// <param name="Total">Units of the stage in all.</param>
public readonly record struct PruningProgress(string Stage, int Done, int Total);
