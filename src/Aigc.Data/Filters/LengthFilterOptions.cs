using Microsoft.ML.Tokenizers;

namespace Aigc.Data;

/// <summary>Settings of <see cref="LengthFilterStep"/>.</summary>
public sealed class LengthFilterOptions
{
    /// <summary>Gets the names of the fields to measure; when empty, every field of each record is measured.</summary>
    /// <value>The default value is an empty list (every field).</value>
    public IList<string> Fields { get; } = new List<string>();

    /// <summary>Gets or sets what is counted.</summary>
    /// <value>The default value is <see cref="LengthUnit.Words"/>.</value>
    public LengthUnit Unit { get; set; } = LengthUnit.Words;

    /// <summary>Gets or sets the smallest length kept (inclusive).</summary>
    /// <value>The default value is <c>1</c>.</value>
    public int Minimum { get; set; } = 1;

    /// <summary>Gets or sets the largest length kept (inclusive), or <see langword="null"/> for no upper bound.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Maximum { get; set; }

    /// <summary>
    /// Gets or sets whether each selected field must be within the bounds on its own; otherwise the lengths of the
    /// selected fields are added up and the total must be. A named field the record lacks has length 0.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PerField { get; set; }

    /// <summary>
    /// Gets or sets the tokenizer that counts <see cref="LengthUnit.Tokens"/>, for example
    /// <c>TiktokenTokenizer.CreateForModel("gpt2")</c>; required for that unit, together with <see cref="TokenizerName"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Tokenizer? Tokenizer { get; set; }

    /// <summary>
    /// Gets or sets the tokenizer's name as recorded in the step parameters (for example <c>gpt2</c>), so a dataset
    /// built with another tokenizer gets another fingerprint.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? TokenizerName { get; set; }
}
