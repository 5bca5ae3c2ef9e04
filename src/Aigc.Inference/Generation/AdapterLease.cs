using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>A sequence's hold on a resident adapter: the adapter stays loaded until every lease is released.</summary>
internal sealed class AdapterLease(AdapterCache cache, ResidentAdapter adapter)
{
    private int _released;

    public string Name => adapter.Name;

    public RunOptions? RunOptions => adapter.RunOptions;

    public ResidentAdapter Adapter => adapter;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            cache.Release(adapter);
        }
    }
}
