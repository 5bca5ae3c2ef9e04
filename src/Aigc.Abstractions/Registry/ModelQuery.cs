namespace Aigc;

/// <summary>Which registered models <see cref="IModelRegistry.ListModelsAsync"/> returns, and which page.</summary>
/// <remarks>Models come in name order.</remarks>
public sealed record ModelQuery
{
    /// <summary>The largest page size a registry returns.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Gets a text the model name must contain (ignoring ASCII case), or <see langword="null"/> for any name.</summary>
    public string? NameContains { get; init; }

    /// <summary>Gets tags every returned model must carry, with these values.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the most models one page holds, from 1 to <see cref="MaxPageSize"/>.</summary>
    /// <value>The default value is <c>100</c>.</value>
    public int PageSize { get; init; } = 100;

    /// <summary>Gets the <see cref="ModelPage{T}.NextPageToken"/> of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? PageToken { get; init; }
}
