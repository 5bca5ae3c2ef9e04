namespace Aigc.Data;

/// <summary>What <see cref="NormalizeTextStep"/> does with line breaks while it collapses white space.</summary>
public enum NewlineHandling
{
    /// <summary>
    /// Keep every line break; white space at the start and end of each line is removed, and a run of blank lines
    /// becomes one blank line (at most two consecutive <c>\n</c>).
    /// </summary>
    KeepLines = 0,

    /// <summary>
    /// Keep paragraph breaks only: a run of two or more line breaks becomes exactly one blank line (<c>\n\n</c>) and a
    /// single line break becomes a space.
    /// </summary>
    KeepParagraphs = 1,

    /// <summary>Every line break becomes a space: the text ends up on one line.</summary>
    Collapse = 2,
}
