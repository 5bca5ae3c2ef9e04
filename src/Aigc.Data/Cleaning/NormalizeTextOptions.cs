namespace Aigc.Data;

/// <summary>Settings of <see cref="NormalizeTextStep"/>.</summary>
public sealed class NormalizeTextOptions
{
    /// <summary>Gets the names of the fields to normalize; when empty, every field of each record is normalized.</summary>
    /// <value>The default value is an empty list (every field).</value>
    public IList<string> Fields { get; } = new List<string>();

    /// <summary>Gets or sets what happens to line breaks.</summary>
    /// <value>The default value is <see cref="NewlineHandling.KeepLines"/>.</value>
    public NewlineHandling Newlines { get; set; } = NewlineHandling.KeepLines;

    /// <summary>
    /// Gets or sets whether HTML is stripped first: <c>script</c> and <c>style</c> elements with their content,
    /// comments, doctype and processing instructions, and all tags are removed (block-level tags such as <c>p</c>,
    /// <c>div</c>, <c>br</c>, <c>li</c> and <c>h1</c>–<c>h6</c> become a line break, table cells a space), and
    /// character references (<c>&amp;amp;</c>, <c>&amp;#233;</c>, <c>&amp;#xE9;</c>) are decoded.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool StripHtml { get; set; }

    /// <summary>
    /// Gets or sets whether the zero-width non-joiner (U+200C) and zero-width joiner (U+200D) are kept; they are
    /// format characters, removed by default, but Persian and Indic scripts and emoji sequences need them.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool KeepJoiners { get; set; }
}
