namespace Aigc.Data;

/// <summary>A slice of a text, by offset and length (a token, a line, a sentence).</summary>
/// <param name="Start">The offset of the first character.</param>
/// <param name="Length">The number of UTF-16 code units.</param>
internal readonly record struct TextSegment(int Start, int Length)
{
    /// <summary>Gets the offset just past the last character.</summary>
    public int End => Start + Length;

    /// <summary>Returns the slice of <paramref name="text"/> this segment covers.</summary>
    /// <param name="text">The text the segment was taken from.</param>
    /// <returns>The slice.</returns>
    public ReadOnlySpan<char> Of(ReadOnlySpan<char> text) => text.Slice(Start, Length);
}
