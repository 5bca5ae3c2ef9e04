namespace Aigc.Inference;

/// <summary>One LoRA layer of a per-row adapter export.</summary>
/// <param name="LoraA">The PEFT key of A (the adapter file's parameter name), <c>[r, in]</c>.</param>
/// <param name="LoraB">The PEFT key of B·scaling, <c>[out, r]</c>.</param>
/// <param name="StackedA">The graph input holding every slot's A, <c>[slots, r, in]</c>.</param>
/// <param name="StackedB">The graph input holding every slot's B, <c>[slots, out, r]</c>.</param>
/// <param name="InFeatures">The layer's input width.</param>
/// <param name="OutFeatures">The layer's output width.</param>
internal sealed record StackedLoraLayer(string LoraA, string LoraB, string StackedA, string StackedB, int InFeatures, int OutFeatures);
