using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>What <see cref="FusedLmHeadLoss"/> needs of a teacher: its final hidden states for the batch and its tied head.</summary>
/// <param name="Hidden">The teacher's hidden states, <c>[batch, seq, d_teacher]</c>, computed without gradients.</param>
/// <param name="Weight">The teacher's token embedding (its LM head), <c>[vocab, d_teacher]</c>.</param>
/// <param name="Temperature">The softmax temperature T.</param>
/// <param name="Alpha">The weight of the distillation term; the causal-LM loss gets 1 − α.</param>
internal readonly record struct DistillationTarget(Tensor Hidden, Tensor Weight, double Temperature, double Alpha);
