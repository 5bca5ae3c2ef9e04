namespace Aigc.Data;

/// <summary>Settings of <see cref="HashSplitter"/>.</summary>
public sealed class HashSplitOptions
{
    /// <summary>Gets or sets the share of records in the <c>train</c> split.</summary>
    /// <value>The default value is <c>0.8</c>.</value>
    public double TrainRatio { get; set; } = 0.8;

    /// <summary>Gets or sets the share of records in the <c>validation</c> split.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double ValidationRatio { get; set; } = 0.1;

    /// <summary>Gets or sets the share of records in the <c>test</c> split.</summary>
    /// <value>The default value is <c>0.1</c>.</value>
    public double TestRatio { get; set; } = 0.1;

    /// <summary>Gets or sets the seed of the hash; another seed gives another, equally stable, assignment.</summary>
    /// <value>The default value is <c>42</c>.</value>
    public long Seed { get; set; } = 42;

    /// <summary>
    /// Gets or sets a metadata key whose value groups records, so all records of a group land in the same split:
    /// for example <see cref="MinHashDedupStep.ClusterMetadataKey"/> (<c>dedup.cluster</c>) so near-duplicates never
    /// straddle splits. A record without the key is a group of its own (its id is used).
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no grouping by metadata).</value>
    public string? GroupByMetadata { get; set; }

    /// <summary>
    /// Gets or sets a label set whose label groups records, so all records with the same label land in the same
    /// split. A record without the label is a group of its own (its id is used).
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no grouping by label).</value>
    public string? GroupByLabel { get; set; }

    /// <summary>
    /// Gets or sets a label set to stratify by: each label value (and records without the label, together) is split
    /// on its own, with the label value mixed into the hash. See <see cref="HashSplitter"/> for what that guarantees.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no stratification).</value>
    public string? StratifyByLabel { get; set; }
}
