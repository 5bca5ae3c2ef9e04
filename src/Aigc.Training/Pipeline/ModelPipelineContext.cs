namespace Aigc.Training;

/// <summary>What a running step knows: its fingerprint, its own work folder, and the outputs of the steps before it.</summary>
public sealed class ModelPipelineContext
{
    private readonly IReadOnlyDictionary<string, ModelPipelineStepOutput> _outputs;

    internal ModelPipelineContext(string pipelineName, string stepId, string fingerprint, string workDirectory, IReadOnlyDictionary<string, ModelPipelineStepOutput> outputs)
    {
        PipelineName = pipelineName;
        StepId = stepId;
        Fingerprint = fingerprint;
        WorkDirectory = workDirectory;
        _outputs = outputs;
    }

    /// <summary>Gets the pipeline's name.</summary>
    public string PipelineName { get; }

    /// <summary>Gets the running step's id.</summary>
    public string StepId { get; }

    /// <summary>Gets the running step's fingerprint (lowercase hex SHA-256).</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Gets the step's work folder, one per fingerprint: a run that crashed finds there what it left (checkpoints
    /// to resume from); a changed configuration gets a fresh folder.
    /// </summary>
    public string WorkDirectory { get; }

    /// <summary>Gets the output of an earlier step.</summary>
    /// <param name="stepId">The step's id.</param>
    /// <returns>Its output.</returns>
    /// <exception cref="InvalidOperationException">No earlier step has that id.</exception>
    public ModelPipelineStepOutput GetOutput(string stepId)
    {
        ArgumentNullException.ThrowIfNull(stepId);
        return _outputs.TryGetValue(stepId, out var output)
            ? output
            : throw new InvalidOperationException($"Step '{StepId}' asked for the output of '{stepId}', which is not an earlier step of pipeline '{PipelineName}'.");
    }
}
