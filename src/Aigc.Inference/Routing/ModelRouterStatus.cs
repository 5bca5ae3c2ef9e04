namespace Aigc.Inference;

/// <summary>A snapshot of a <see cref="ModelRouter{TModel}"/>: its routes, and every version it holds in memory.</summary>
public sealed record ModelRouterStatus
{
    /// <summary>Gets the model name.</summary>
    public required string ModelName { get; init; }

    /// <summary>Gets the routes, primary first, then the other canary routes, then the shadow route.</summary>
    public required IReadOnlyList<ModelRouteStatus> Routes { get; init; }

    /// <summary>Gets the versions loaded now, in order: those routed to, and old ones still finishing requests.</summary>
    public required IReadOnlyList<int> LoadedVersions { get; init; }

    /// <summary>Gets how many versions were loaded since the router started.</summary>
    public long Loads { get; init; }

    /// <summary>Gets how many versions were unloaded since the router started.</summary>
    public long Unloads { get; init; }

    /// <summary>Gets how many loads failed since the router started.</summary>
    public long LoadFailures { get; init; }
}
