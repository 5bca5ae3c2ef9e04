namespace Aigc.Training;

/// <summary>A finished pipeline run: every step's result, in order.</summary>
public sealed class ModelPipelineResult
{
    internal ModelPipelineResult(IReadOnlyList<ModelPipelineStepResult> steps) => Steps = steps;

    /// <summary>Gets the steps' results, in order.</summary>
    public IReadOnlyList<ModelPipelineStepResult> Steps { get; }

    /// <summary>Gets the output of a step.</summary>
    /// <param name="stepId">The step's id.</param>
    /// <returns>Its output.</returns>
    /// <exception cref="KeyNotFoundException">The pipeline has no step <paramref name="stepId"/>.</exception>
    public ModelPipelineStepOutput this[string stepId] => Get(stepId).Output;

    /// <summary>Gets the result of a step.</summary>
    /// <param name="stepId">The step's id.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="KeyNotFoundException">The pipeline has no step <paramref name="stepId"/>.</exception>
    public ModelPipelineStepResult Get(string stepId) =>
        Steps.FirstOrDefault(s => s.Id == stepId) ?? throw new KeyNotFoundException($"The pipeline has no step '{stepId}'; it has: {string.Join(", ", Steps.Select(s => s.Id))}.");
}
