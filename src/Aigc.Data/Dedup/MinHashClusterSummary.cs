namespace Aigc.Data;

/// <summary>One cluster of near-duplicates in a <see cref="MinHashClusterReport"/>.</summary>
public sealed class MinHashClusterSummary
{
    /// <summary>Gets the cluster id: the id of its first record, the one kept.</summary>
    public required string ClusterId { get; init; }

    /// <summary>Gets how many records the cluster has.</summary>
    public int Size { get; init; }

    /// <summary>Gets the ids of the cluster's records in input order, the first 100 at most.</summary>
    public IReadOnlyList<string> MemberIds { get; init; } = [];
}
