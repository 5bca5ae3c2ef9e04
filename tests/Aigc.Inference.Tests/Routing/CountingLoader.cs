namespace Aigc.Inference.Tests.Routing;

/// <summary>Wraps a real loader and counts what it loaded and unloaded (so a test can tell every old version was released).</summary>
internal sealed class CountingLoader<TModel>(IModelVersionLoader<TModel> inner) : IModelVersionLoader<TModel>
    where TModel : class
{
    private readonly Lock _gate = new();
    private readonly HashSet<TModel> _live = [];
    private int _loads;
    private int _unloads;
    private int _attempts;

    public int Loads => Volatile.Read(ref _loads);

    public int Unloads => Volatile.Read(ref _unloads);

    public int Attempts => Volatile.Read(ref _attempts);

    public int Live
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    public async ValueTask<TModel> LoadAsync(IModelRegistry registry, ModelVersion version, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        var model = await inner.LoadAsync(registry, version, cancellationToken);
        lock (_gate)
        {
            _live.Add(model);
        }

        Interlocked.Increment(ref _loads);
        return model;
    }

    public async ValueTask UnloadAsync(TModel model)
    {
        await inner.UnloadAsync(model);
        lock (_gate)
        {
            Assert.True(_live.Remove(model), "A model was unloaded twice, or was never loaded.");
        }

        Interlocked.Increment(ref _unloads);
    }
}
