namespace Aigc.Monitoring;

/// <summary>One model exchange to evaluate.</summary>
/// <param name="Prompt">The prompt the model was given.</param>
/// <param name="Response">The model's response.</param>
public sealed record EvaluationInput(string Prompt, string Response)
{
    /// <summary>Gets the reference (expected) answer, when there is one.</summary>
    public string? Reference { get; init; }
}
