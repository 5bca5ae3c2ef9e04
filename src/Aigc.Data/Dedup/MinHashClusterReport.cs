using System.Text.Json.Serialization;

namespace Aigc.Data;

/// <summary>The <c>minhash-clusters</c> report of <see cref="MinHashDedupStep"/>.</summary>
public sealed class MinHashClusterReport
{
    /// <summary>Gets how many records the step read.</summary>
    public long Records { get; init; }

    /// <summary>Gets how many clusters have two or more records.</summary>
    public long Clusters { get; init; }

    /// <summary>Gets how many records are near-duplicates of an earlier record (dropped in <see cref="MinHashDedupMode.Remove"/> mode).</summary>
    public long Duplicates { get; init; }

    /// <summary>Gets whether the duplicates were dropped (<see cref="MinHashDedupMode.Remove"/>) or only tagged.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<MinHashDedupMode>))]
    public MinHashDedupMode Mode { get; init; }

    /// <summary>Gets how many clusters there are of each size (two or more), by size.</summary>
    public IReadOnlyDictionary<int, long> SizeHistogram { get; init; } = new Dictionary<int, long>();

    /// <summary>Gets the largest clusters (at most 20), largest first, ties in input order.</summary>
    public IReadOnlyList<MinHashClusterSummary> LargestClusters { get; init; } = [];
}
