namespace Aigc.Training;

/// <summary>One step of a finished pipeline run.</summary>
/// <param name="Id">The step's id.</param>
/// <param name="Fingerprint">The step's fingerprint.</param>
/// <param name="Reused">Whether the recorded output was reused (the step did not run).</param>
/// <param name="Output">The output.</param>
/// <param name="Elapsed">The step's wall time in this run.</param>
public sealed record ModelPipelineStepResult(string Id, string Fingerprint, bool Reused, ModelPipelineStepOutput Output, TimeSpan Elapsed);
