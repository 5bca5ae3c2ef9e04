namespace Aigc.Data;

/// <summary>How two versions of a dataset differ: records by id, and the pipeline steps.</summary>
public sealed record DatasetDiff
{
    /// <summary>Gets the older version.</summary>
    public required DatasetReference From { get; init; }

    /// <summary>Gets the newer version.</summary>
    public required DatasetReference To { get; init; }

    /// <summary>Gets the number of record ids only in <see cref="To"/>.</summary>
    public long Added { get; init; }

    /// <summary>Gets the number of record ids only in <see cref="From"/>.</summary>
    public long Removed { get; init; }

    /// <summary>Gets the number of record ids in both whose content differs.</summary>
    public long Changed { get; init; }

    /// <summary>Gets the number of record ids in both with equal content.</summary>
    public long Unchanged { get; init; }

    /// <summary>Gets up to <see cref="DatasetDiffer.SampleSize"/> ids of added records.</summary>
    public IReadOnlyList<string> AddedSample { get; init; } = [];

    /// <summary>Gets up to <see cref="DatasetDiffer.SampleSize"/> ids of removed records.</summary>
    public IReadOnlyList<string> RemovedSample { get; init; } = [];

    /// <summary>Gets up to <see cref="DatasetDiffer.SampleSize"/> ids of changed records.</summary>
    public IReadOnlyList<string> ChangedSample { get; init; } = [];

    /// <summary>Gets the ids of steps that were added, removed, or changed version or parameters between the two versions.</summary>
    public IReadOnlyList<string> ChangedSteps { get; init; } = [];
}
