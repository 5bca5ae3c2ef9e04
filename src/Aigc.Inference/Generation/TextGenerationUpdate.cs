namespace Aigc.Inference;

/// <summary>A piece of streamed output from a <see cref="TextGenerator"/>.</summary>
/// <param name="Text">The new text (whole characters only; may be empty on the last update).</param>
/// <param name="Tokens">The tokens generated since the previous update.</param>
public sealed record TextGenerationUpdate(string Text, IReadOnlyList<GeneratedToken> Tokens)
{
    /// <summary>Gets why the output ended, on the last update; otherwise <see langword="null"/>.</summary>
    public GenerationFinishReason? FinishReason { get; init; }

    /// <summary>Gets the prompt's length in tokens.</summary>
    public int InputTokenCount { get; init; }

    /// <summary>Gets the tokens generated so far.</summary>
    public int OutputTokenCount { get; init; }

    /// <summary>Gets the registered version producing the text (<c>models:/name/3</c>), or <see langword="null"/> when the model did not come from a registry.</summary>
    public ModelUri? ModelVersion { get; init; }
}
