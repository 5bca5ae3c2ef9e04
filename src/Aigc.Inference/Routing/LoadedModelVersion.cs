namespace Aigc.Inference;

/// <summary>
/// One loaded version inside a router, reference-counted: each route serving it holds one reference and each lease
/// another. References are only taken while the count is above zero, so once the last one is released nothing can
/// take the version again, and the router unloads it.
/// </summary>
internal sealed class LoadedModelVersion<TModel>
    where TModel : class
{
    private readonly Action<LoadedModelVersion<TModel>> _onReleased;
    private int _references = 1;

    public LoadedModelVersion(TModel model, ModelVersion version, Action<LoadedModelVersion<TModel>> onReleased)
    {
        Model = model;
        Version = version;
        VersionTag = version.Version;
        _onReleased = onReleased;
    }

    /// <summary>Gets the version number, boxed once for metric tags.</summary>
    public object VersionTag { get; }

    public TModel Model { get; }

    public ModelVersion Version { get; }

    public int References => Volatile.Read(ref _references);

    public bool TryAddReference()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _onReleased(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"{Version.Uri} was released more often than it was referenced.");
        }
    }
}
