using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>The running sequences that share one adapter (or the base model): one batch, one run per step.</summary>
internal sealed class AdapterGroup(KvBatch batch, RunOptions runOptions)
{
    public KvBatch Batch { get; } = batch;

    public RunOptions RunOptions { get; } = runOptions;

    /// <summary>Gets the sequences whose prefill finished and that join at the next repack.</summary>
    public List<SequenceState> Joining { get; } = [];

    /// <summary>Gets or sets whether rows finished or joined since the last repack.</summary>
    public bool Dirty { get; set; }
}
