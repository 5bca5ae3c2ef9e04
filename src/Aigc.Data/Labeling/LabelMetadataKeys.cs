namespace Aigc.Data;

/// <summary>
/// The <see cref="DataRecord.Metadata"/> keys the labeling steps write: each labeler's vote and where a record's
/// label came from.
/// </summary>
public static class LabelMetadataKeys
{
    /// <summary>The source value of a label chosen by majority vote of programmatic labelers.</summary>
    public const string VoteSource = "vote";

    /// <summary>The source value of a label set to the configured default because every labeler abstained.</summary>
    public const string DefaultSource = "default";

    /// <summary>The source value of a label imported from human annotations; programmatic labeling never overwrites it.</summary>
    public const string HumanSource = "human";

    /// <summary>Returns the key of one labeler's vote: <c>label.&lt;set&gt;.&lt;labeler&gt;</c>.</summary>
    /// <param name="labelSet">The label set name.</param>
    /// <param name="labeler">The labeler name.</param>
    /// <returns>The metadata key.</returns>
    /// <exception cref="ArgumentException"><paramref name="labelSet"/> or <paramref name="labeler"/> is null or empty.</exception>
    public static string Vote(string labelSet, string labeler)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelSet);
        ArgumentException.ThrowIfNullOrEmpty(labeler);
        return "label." + labelSet + "." + labeler;
    }

    /// <summary>
    /// Returns the key recording where the label of a set came from: <c>label-source.&lt;set&gt;</c>, with the value
    /// <see cref="VoteSource"/>, <see cref="DefaultSource"/> or <see cref="HumanSource"/>.
    /// </summary>
    /// <param name="labelSet">The label set name.</param>
    /// <returns>The metadata key.</returns>
    /// <exception cref="ArgumentException"><paramref name="labelSet"/> is null or empty.</exception>
    public static string Source(string labelSet)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelSet);
        return "label-source." + labelSet;
    }
}
