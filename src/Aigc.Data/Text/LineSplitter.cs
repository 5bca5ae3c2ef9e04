namespace Aigc.Data;

/// <summary>Splits text into lines exactly as Python's <c>str.splitlines()</c> does (the reference filters use it).</summary>
internal static class LineSplitter
{
    /// <summary>
    /// Appends the lines of <paramref name="text"/> to <paramref name="lines"/>: breaks are <c>\n</c>, <c>\r\n</c>,
    /// <c>\r</c>, <c>\v</c>, <c>\f</c>, U+001C–U+001E, U+0085, U+2028 and U+2029; a final break does not start an empty
    /// line, and an empty text has no lines.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="lines">Receives the lines (without their breaks).</param>
    public static void SplitLines(ReadOnlySpan<char> text, List<TextSegment> lines)
    {
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsLineBreak(c))
            {
                lines.Add(new TextSegment(start, i - start));
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                i++;
                start = i;
            }
            else
            {
                i++;
            }
        }

        if (start < text.Length)
        {
            lines.Add(new TextSegment(start, text.Length - start));
        }
    }

    /// <summary>Returns whether <paramref name="c"/> ends a line for Python's <c>str.splitlines()</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> for a line break.</returns>
    public static bool IsLineBreak(char c) => c switch
    {
        '\n' or '\r' or '\v' or '\f' or '\u001C' or '\u001D' or '\u001E' or '\u0085' or '\u2028' or '\u2029' => true,
        _ => false,
    };

    /// <summary>Returns <paramref name="text"/> without leading and trailing white space (Python's <c>str.strip()</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="segment">The segment of the text to trim.</param>
    /// <returns>The trimmed segment (empty at the segment's end when it is all white space).</returns>
    public static TextSegment Trim(ReadOnlySpan<char> text, TextSegment segment)
    {
        var start = segment.Start;
        var end = segment.End;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return new TextSegment(start, end - start);
    }
}
