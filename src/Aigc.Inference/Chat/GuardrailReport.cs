namespace Aigc.Inference;

/// <summary>Why a guardrail acted; found in a response's (or the last update's) <c>AdditionalProperties["guardrail"]</c>.</summary>
/// <param name="Direction">Whether the prompt or the output triggered it.</param>
/// <param name="Rule"><c>blocklist</c> or <c>classifier</c>.</param>
/// <param name="Action">What was done.</param>
/// <param name="Reason">A human-readable reason (the blocked term, or the classifier's category and reason).</param>
public sealed record GuardrailReport(ContentDirection Direction, string Rule, GuardrailAction Action, string Reason)
{
    /// <summary>The key of the report in <c>AdditionalProperties</c>.</summary>
    public const string PropertyName = "guardrail";
}
