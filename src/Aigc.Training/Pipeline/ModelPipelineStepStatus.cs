namespace Aigc.Training;

/// <summary>Where a pipeline step is.</summary>
public enum ModelPipelineStepStatus
{
    /// <summary>The step is about to run.</summary>
    Started,

    /// <summary>The step's fingerprint matched its last completed run: its output was reused without running it.</summary>
    Reused,

    /// <summary>The step ran and its output was recorded.</summary>
    Completed,
}
