namespace Aigc.Training;

/// <summary>A pipeline step's progress report.</summary>
/// <param name="StepId">The step's id.</param>
/// <param name="Status">Where the step is.</param>
/// <param name="Fingerprint">The step's fingerprint.</param>
/// <param name="Output">The output, when <paramref name="Status"/> is <see cref="ModelPipelineStepStatus.Reused"/> or <see cref="ModelPipelineStepStatus.Completed"/>.</param>
/// <param name="Elapsed">The step's wall time so far.</param>
public sealed record ModelPipelineProgress(string StepId, ModelPipelineStepStatus Status, string Fingerprint, ModelPipelineStepOutput? Output, TimeSpan Elapsed);
