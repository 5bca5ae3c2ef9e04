namespace Aigc.Data;

/// <summary>What <see cref="MinHashDedupStep"/> does with the near-duplicates it finds.</summary>
public enum MinHashDedupMode
{
    /// <summary>Keeps the first record of each cluster and drops the others as duplicates.</summary>
    Remove = 0,

    /// <summary>
    /// Keeps every record and writes its cluster id (the id of the cluster's first record) to
    /// <c>Metadata["dedup.cluster"]</c>, for example so a splitter keeps each cluster in one split.
    /// </summary>
    Tag = 1,
}
