namespace Aigc.Data;

/// <summary>Settings of a <see cref="RecordTokenizer"/>.</summary>
public sealed class RecordTokenizerOptions
{
    /// <summary>Gets or sets the most tokens an example may have (end-of-text token included), or <see langword="null"/> for no limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets what happens to an example longer than <see cref="MaxLength"/>.</summary>
    /// <value>The default value is <see cref="TruncationMode.Truncate"/>.</value>
    public TruncationMode Truncation { get; set; } = TruncationMode.Truncate;

    /// <summary>Gets or sets whether the end-of-text token is appended to each example, as a trained token.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AppendEos { get; set; } = true;

    /// <summary>
    /// Gets or sets the end-of-text token id, or <see langword="null"/> for the tokenizer's <c>&lt;|endoftext|&gt;</c>
    /// special token (50256 for GPT-2).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? EosTokenId { get; set; }

    /// <summary>Gets or sets what happens when record content contains the text of a special token.</summary>
    /// <value>The default value is <see cref="SpecialTokenPolicy.Reject"/>.</value>
    public SpecialTokenPolicy SpecialTokensInContent { get; set; } = SpecialTokenPolicy.Reject;

    /// <summary>
    /// Gets or sets the special token texts checked by <see cref="SpecialTokensInContent"/>, or <see langword="null"/>
    /// for the special tokens the tokenizer declares (a <c>TiktokenTokenizer</c>'s <c>SpecialTokens</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<string>? SpecialTokens { get; set; }

    /// <summary>
    /// Gets or sets the vocabulary size recorded with packed datasets, or <see langword="null"/> to derive it (a
    /// <c>TiktokenTokenizer</c>: its largest special token id + 1, 50257 for GPT-2; otherwise unknown, 0).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? VocabularySize { get; set; }
}
