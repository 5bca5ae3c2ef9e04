namespace Aigc.Inference;

/// <summary>What happened in a <see cref="ModelRouter{TModel}"/>.</summary>
public enum ModelRouterEventKind
{
    /// <summary>A route now serves a version: loaded, warmed up and switched to atomically.</summary>
    Switched,

    /// <summary>A version failed to load (corrupt or tampered file, load or warm-up error); the route keeps serving what it served.</summary>
    LoadFailed,

    /// <summary>A version no longer routed to finished its last request and was unloaded.</summary>
    Unloaded,

    /// <summary>A route's alias was removed; the route keeps serving its last version.</summary>
    AliasRemoved,

    /// <summary>Watching the registry for alias changes failed; the router retries and keeps serving.</summary>
    WatchFailed,
}
