namespace Aigc;

/// <summary>
/// What a stored dataset version is: its name, number and fingerprint, schema, counts, the steps that made it
/// with their parameters, lineage parents, and reports. Written as <c>manifest.json</c> in the version's folder.
/// </summary>
public sealed record DatasetManifest
{
    /// <summary>Gets the dataset name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version number, from 1.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the content fingerprint (hex SHA-256 chained over the sources and the steps).</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Gets the record schema of the version's records.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>Gets when the version was written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the record counts.</summary>
    public DatasetCounts Counts { get; init; } = new();

    /// <summary>Gets the steps that made the version, in order, with their parameters and counts.</summary>
    public IReadOnlyList<DatasetStepInfo> Steps { get; init; } = [];

    /// <summary>Gets the dataset versions this one was derived from.</summary>
    public IReadOnlyList<DatasetReference> Parents { get; init; } = [];

    /// <summary>Gets the data files, relative to the version folder, by split name (<c>all</c> when there are no splits).</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the record count of each split (<c>train</c>, <c>validation</c>, <c>test</c>, or <c>all</c>).</summary>
    public IReadOnlyDictionary<string, long> Splits { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets named counters the steps reported (for example <c>pii.email</c> → 12).</summary>
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the label distribution: label set name → label → record count.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Labels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, long>>();

    /// <summary>Gets free-form metadata (for example the model version feedback came from).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets this version as a lineage reference.</summary>
    /// <returns>The reference.</returns>
    public DatasetReference ToReference() => new(Name, Version, Fingerprint);
}
