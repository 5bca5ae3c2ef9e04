namespace Aigc.Data;

/// <summary>
/// Settings of <see cref="C4QualityFilter"/>. The defaults are datatrove's <c>C4QualityFilter</c> defaults (the C4
/// rules of Raffel et al. 2020 as the TensorFlow Datasets code applies them); set a number to <see langword="null"/>
/// or a flag to <see langword="false"/> to turn its rule off.
/// </summary>
public sealed class C4QualityOptions
{
    /// <summary>Gets the names of the fields to filter; when empty, every field of each record.</summary>
    /// <value>The default value is an empty list (every field).</value>
    public IList<string> Fields { get; } = new List<string>();

    /// <summary>
    /// Gets or sets whether the rules apply to lines (as C4 does); otherwise to sentences, and the kept sentences are
    /// joined with a space instead of a line break.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SplitParagraph { get; set; } = true;

    /// <summary>Gets or sets whether Wikipedia-style citation marks (<c>[1]</c>, <c>[]</c>, <c>[edit]</c>, <c>[citation needed]</c>) are removed.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RemoveCitations { get; set; } = true;

    /// <summary>
    /// Gets or sets whether lines that do not end in terminal punctuation (<c>. ? ! " '</c>), or that end in an
    /// ellipsis <c>...</c>, are removed.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FilterNoTerminalPunctuation { get; set; } = true;

    /// <summary>Gets or sets the fewest sentences the kept lines of a record must hold (rule <c>too_few_sentences</c>).</summary>
    /// <value>The default value is <c>5</c>.</value>
    public int? MinSentences { get; set; } = 5;

    /// <summary>Gets or sets the fewest white-space-separated words a line must have to be kept.</summary>
    /// <value>The default value is <c>3</c>.</value>
    public int? MinWordsPerLine { get; set; } = 3;

    /// <summary>Gets or sets the longest word (in characters) a line may contain to be kept.</summary>
    /// <value>The default value is <c>1000</c>.</value>
    public int? MaxWordLength { get; set; } = 1000;

    /// <summary>Gets or sets whether a record containing "lorem ipsum" (any case) is rejected (rule <c>lorem_ipsum</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FilterLoremIpsum { get; set; } = true;

    /// <summary>Gets or sets whether lines containing "javascript" (any case) are removed.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FilterJavascript { get; set; } = true;

    /// <summary>Gets or sets whether a record containing a curly bracket <c>{</c> is rejected (rule <c>curly_bracket</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FilterCurlyBracket { get; set; } = true;

    /// <summary>
    /// Gets or sets whether lines containing a policy phrase are removed: "terms of use", "privacy policy",
    /// "cookie policy", "uses cookies", "use of cookies", "use cookies" (any case).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FilterPolicy { get; set; } = true;
}
