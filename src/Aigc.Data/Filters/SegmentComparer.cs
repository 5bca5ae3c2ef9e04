namespace Aigc.Data;

/// <summary>Compares <see cref="TextSegment"/>s of one text by their content (ordinal), for hashing lines, paragraphs and tokens without allocating substrings.</summary>
internal sealed class SegmentComparer : IEqualityComparer<TextSegment>
{
    /// <summary>Gets or sets the text the segments point into.</summary>
    public string Text { get; set; } = string.Empty;

    /// <inheritdoc />
    public bool Equals(TextSegment x, TextSegment y) =>
        x.Length == y.Length && Text.AsSpan(x.Start, x.Length).SequenceEqual(Text.AsSpan(y.Start, y.Length));

    /// <inheritdoc />
    public int GetHashCode(TextSegment obj) => string.GetHashCode(Text.AsSpan(obj.Start, obj.Length), StringComparison.Ordinal);
}
