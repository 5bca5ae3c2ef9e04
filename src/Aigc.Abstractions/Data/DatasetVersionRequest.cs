namespace Aigc;

/// <summary>What a new dataset version will be: passed to <see cref="IDatasetStore.BeginWriteAsync"/>.</summary>
public sealed record DatasetVersionRequest
{
    /// <summary>Gets the dataset name: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not starting with <c>.</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the content fingerprint the version will carry.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Gets the schema of the records that will be written.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>Gets the steps that make the version.</summary>
    public IReadOnlyList<DatasetStepInfo> Steps { get; init; } = [];

    /// <summary>Gets the dataset versions this one derives from.</summary>
    public IReadOnlyList<DatasetReference> Parents { get; init; } = [];

    /// <summary>Gets free-form metadata to record in the manifest.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
