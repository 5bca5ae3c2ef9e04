namespace Aigc.Inference;

/// <summary>The whole output of a <see cref="TextGenerator"/> request.</summary>
/// <param name="Text">The generated text (up to, not including, a stop sequence).</param>
/// <param name="FinishReason">Why the output ended.</param>
/// <param name="Tokens">The generated tokens, with log-probabilities when asked for.</param>
/// <param name="InputTokenCount">The prompt's length in tokens.</param>
public sealed record TextGenerationResult(string Text, GenerationFinishReason FinishReason, IReadOnlyList<GeneratedToken> Tokens, int InputTokenCount)
{
    /// <summary>Gets the number of generated tokens.</summary>
    public int OutputTokenCount => Tokens.Count;

    /// <summary>Gets the registered version that produced the text (<c>models:/name/3</c>), or <see langword="null"/> when the model did not come from a registry.</summary>
    public ModelUri? ModelVersion { get; init; }
}
