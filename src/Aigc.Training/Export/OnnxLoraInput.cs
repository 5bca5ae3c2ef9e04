namespace Aigc.Training;

/// <summary>One layer's LoRA inputs in an exported model (see <see cref="OnnxLoraInputs"/>).</summary>
/// <param name="ModulePath">The layer's path, for example <c>transformer.h.0.attn.c_attn</c>.</param>
/// <param name="LoraAName">The graph input for A, <c>[r, in]</c>: the PEFT key <c>base_model.model.&lt;path&gt;.lora_A.weight</c>.</param>
/// <param name="LoraBName">The graph input for B·scaling, <c>[out, r]</c>: the PEFT key <c>base_model.model.&lt;path&gt;.lora_B.weight</c>.</param>
/// <param name="InFeatures">The layer's input width.</param>
/// <param name="OutFeatures">The layer's output width.</param>
/// <param name="RankDimension">The symbolic name of the rank dimension.</param>
public sealed record OnnxLoraInput(string ModulePath, string LoraAName, string LoraBName, int InFeatures, int OutFeatures, string RankDimension);
