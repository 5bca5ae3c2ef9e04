using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>A LoRA adapter loaded into memory, with the run options that activate it.</summary>
internal sealed class ResidentAdapter(string name, string path, OrtLoraAdapter adapter) : IDisposable
{
    public string Name { get; } = name;

    public string Path { get; } = path;

    public OrtLoraAdapter Adapter { get; } = adapter;

    public RunOptions RunOptions { get; } = CreateRunOptions(adapter);

    /// <summary>Gets or sets the number of live sequences using it (guarded by the cache's lock).</summary>
    public int Users { get; set; }

    /// <summary>Gets or sets whether it left the cache (unloaded, evicted or replaced) and is disposed when its last user ends.</summary>
    public bool Detached { get; set; }

    public void Dispose()
    {
        RunOptions.Dispose();
        Adapter.Dispose();
    }

    private static RunOptions CreateRunOptions(OrtLoraAdapter adapter)
    {
        var options = new RunOptions();
        options.AddActiveLoraAdapter(adapter);
        return options;
    }
}
