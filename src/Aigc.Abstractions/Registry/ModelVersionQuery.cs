namespace Aigc;

/// <summary>Which model versions <see cref="IModelRegistry.SearchVersionsAsync"/> returns, and which page.</summary>
/// <remarks>Versions come newest registration first. Every filter that is set must match.</remarks>
public sealed record ModelVersionQuery
{
    /// <summary>Gets the model name the versions belong to, or <see langword="null"/> for every model.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the status the versions must have, or <see langword="null"/> for any status.</summary>
    public ModelVersionStatus? Status { get; init; }

    /// <summary>Gets tags every returned version must carry, with these values.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the name of a dataset the versions were trained on, or <see langword="null"/>.</summary>
    public string? DatasetName { get; init; }

    /// <summary>Gets the fingerprint of a dataset version the versions were trained on, or <see langword="null"/>.</summary>
    public string? DatasetFingerprint { get; init; }

    /// <summary>Gets the training run that produced the versions, or <see langword="null"/>.</summary>
    public string? TrainingRunId { get; init; }

    /// <summary>Gets the most versions one page holds, from 1 to <see cref="ModelQuery.MaxPageSize"/>.</summary>
    /// <value>The default value is <c>100</c>.</value>
    public int PageSize { get; init; } = 100;

    /// <summary>Gets the <see cref="ModelPage{T}.NextPageToken"/> of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? PageToken { get; init; }
}
