namespace Aigc.Inference;

/// <summary>
/// The right to use one loaded model version for one request, from <see cref="ModelRouter{TModel}.AcquireAsync"/>:
/// the version stays loaded until every lease on it is disposed, even after an alias moved away from it. Dispose
/// the lease when the request is done (once); report <see cref="VersionUri"/> with the response.
/// </summary>
/// <typeparam name="TModel">What the router serves.</typeparam>
public sealed class ModelLease<TModel> : IDisposable
    where TModel : class
{
    private readonly LoadedModelVersion<TModel> _loaded;
    private int _disposed;

    internal ModelLease(LoadedModelVersion<TModel> loaded, string route)
    {
        _loaded = loaded;
        Route = route;
    }

    /// <summary>Gets the loaded model.</summary>
    /// <exception cref="ObjectDisposedException">The lease has been disposed.</exception>
    public TModel Model
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _loaded.Model;
        }
    }

    /// <summary>Gets the registered version the model was loaded from.</summary>
    public ModelVersion Version => _loaded.Version;

    /// <summary>Gets the version's pinned URI, <c>models:/&lt;name&gt;/&lt;version&gt;</c>: what produced the response.</summary>
    public ModelUri VersionUri => _loaded.Version.Uri;

    internal object VersionTag => _loaded.VersionTag;

    /// <summary>Gets the route that served the request, for example <c>models:/writer@champion</c>.</summary>
    public string Route { get; }

    /// <summary>Releases the lease; the version is unloaded when it is no longer routed to and its last lease is gone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _loaded.Release();
        }
    }

    /// <summary>Returns the version's URI.</summary>
    /// <returns>The URI text.</returns>
    public override string ToString() => VersionUri.ToString();
}
