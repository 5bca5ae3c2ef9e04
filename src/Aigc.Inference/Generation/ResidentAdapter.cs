using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// A LoRA adapter loaded into memory: for a per-run LoRA export, ONNX Runtime's adapter and the run options that
/// activate it; for a per-row export, its matrices by PEFT key (the scheduler places them into a slot of its stack).
/// </summary>
internal sealed class ResidentAdapter : IDisposable
{
    public ResidentAdapter(string name, string path, OrtLoraAdapter adapter)
    {
        Name = name;
        Path = path;
        Adapter = adapter;
        RunOptions = new RunOptions();
        RunOptions.AddActiveLoraAdapter(adapter);
    }

    public ResidentAdapter(string name, string path, Dictionary<string, OnnxAdapterFile.Parameter> matrices, int rank)
    {
        Name = name;
        Path = path;
        Matrices = matrices;
        Rank = rank;
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>Gets ONNX Runtime's adapter (per-run exports only).</summary>
    public OrtLoraAdapter? Adapter { get; }

    /// <summary>Gets the run options that activate the adapter (per-run exports only).</summary>
    public RunOptions? RunOptions { get; }

    /// <summary>Gets the adapter's matrices by PEFT key (per-row exports only): A [r, in], B·scaling [out, r].</summary>
    public Dictionary<string, OnnxAdapterFile.Parameter>? Matrices { get; }

    /// <summary>Gets the adapter's largest rank (per-row exports only).</summary>
    public int Rank { get; }

    /// <summary>Gets or sets the number of live sequences using it (guarded by the cache's lock).</summary>
    public int Users { get; set; }

    /// <summary>Gets or sets whether it left the cache (unloaded, evicted or replaced) and is disposed when its last user ends.</summary>
    public bool Detached { get; set; }

    public void Dispose()
    {
        RunOptions?.Dispose();
        Adapter?.Dispose();
    }
}
