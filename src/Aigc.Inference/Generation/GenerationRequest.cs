namespace Aigc.Inference;

/// <summary>A request to a <see cref="GenerationEngine"/>: a tokenized prompt, how to pick tokens, and an optional LoRA adapter.</summary>
/// <param name="PromptTokens">The prompt's token ids (at least one).</param>
public sealed record GenerationRequest(IReadOnlyList<int> PromptTokens)
{
    /// <summary>Gets how tokens are picked.</summary>
    /// <value>The default value is <see cref="SamplingOptions.Greedy"/>.</value>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>Gets the name of a registered LoRA adapter to run the request with, or <see langword="null"/> for the base model.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Adapter { get; init; }

    /// <summary>Gets the GenAI operation name recorded on metrics (<c>text_completion</c> or <c>chat</c>).</summary>
    internal string OperationName { get; init; } = GenerationMetricNames.TextCompletionOperation;

    /// <summary>Gets the id of the completion, recorded on the request's span (<c>gen_ai.response.id</c>) when the layer above the engine has one.</summary>
    internal string? ResponseId { get; init; }
}
