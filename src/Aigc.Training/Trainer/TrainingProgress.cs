namespace Aigc.Training;

/// <summary>Progress of a training run, reported after each optimizer step and evaluation.</summary>
/// <param name="Step">The optimizer steps done.</param>
/// <param name="TotalSteps">The optimizer steps planned.</param>
/// <param name="Epoch">The fractional epoch (1.5 = half-way through the second).</param>
/// <param name="Loss">The training loss of the last step.</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="TokensPerSecond">Training tokens per second over the run so far.</param>
/// <param name="Eta">The estimated time to the end.</param>
/// <param name="EvalLoss">The validation loss when this report follows an evaluation, otherwise <see langword="null"/>.</param>
public readonly record struct TrainingProgress(int Step, int TotalSteps, double Epoch, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Eta, double? EvalLoss);
