namespace Aigc.Inference;

/// <summary>A classifier's judgement of a text.</summary>
/// <param name="Flagged">Whether the text breaks the policy.</param>
/// <param name="Category">The policy category (for example <c>violence</c>), or <see langword="null"/>.</param>
/// <param name="Reason">A human-readable reason, or <see langword="null"/>.</param>
public readonly record struct ContentVerdict(bool Flagged, string? Category = null, string? Reason = null)
{
    /// <summary>Gets the verdict of text that is fine.</summary>
    public static ContentVerdict Allowed => default;
}
