namespace Aigc.Data;

/// <summary>Settings of an <see cref="EdaAugmentStep"/> (the α values of Wei and Zou's EDA).</summary>
public sealed class EdaOptions
{
    /// <summary>Gets or sets α for synonym replacement: the share of words replaced by a synonym (at least one); 0 turns it off.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double SynonymReplacementAlpha { get; set; } = 0.1;

    /// <summary>Gets or sets α for random insertion: the number of synonyms inserted as a share of the words (at least one); 0 turns it off.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double RandomInsertionAlpha { get; set; } = 0.1;

    /// <summary>Gets or sets α for random swap: the number of word swaps as a share of the words (at least one); 0 turns it off.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double RandomSwapAlpha { get; set; } = 0.1;

    /// <summary>Gets or sets α for random deletion: the probability of deleting each word (one always stays); 0 turns it off.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double RandomDeletionAlpha { get; set; } = 0.1;

    /// <summary>Gets or sets how many augmented copies each record gets (copies identical to the original or an earlier copy are skipped).</summary>
    /// <value>The default value is <c>4</c>.</value>
    public int CopiesPerRecord { get; set; } = 4;

    /// <summary>
    /// Gets or sets the names of the fields to augment; empty for the defaults of the record kind: Text <c>text</c>;
    /// Instruction <c>instruction</c> and <c>input</c> (not <c>output</c>); Chat <c>user</c> messages; Preference
    /// <c>prompt</c>; ImageCaption <c>caption</c>.
    /// </summary>
    /// <value>The default value is empty (the kind's defaults).</value>
    public IList<string> Fields { get; set; } = [];

    /// <summary>Gets or sets the step's own seed, or <see langword="null"/> to use the pipeline's seed.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }
}
