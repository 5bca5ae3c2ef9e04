using Aigc.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>The causal-LM loss: cross-entropy of the logits at t against the label at t+1, ignoring −100 (as transformers).</summary>
internal static class CausalLmLoss
{
    /// <summary>
    /// Computes the loss by shifting the labels left (the last position gets −100) rather than slicing the logits,
    /// so the <c>[batch, seq, vocab]</c> logits are read in place: slicing them would copy the largest tensor of the
    /// step forward and again backward.
    /// </summary>
    /// <param name="logits">The logits, <c>[batch, seq, vocab]</c>.</param>
    /// <param name="labels">The labels, <c>[batch, seq]</c> int64, −100 where no loss is taken.</param>
    /// <param name="reduction">Mean over the labelled tokens, or their sum.</param>
    /// <returns>The loss.</returns>
    public static Tensor Compute(Tensor logits, Tensor labels, nn.Reduction reduction)
    {
        var vocabulary = logits.shape[^1];
        var last = torch.full(labels.shape[0], 1, RecordTokenizer.IgnoreIndex, dtype: labels.dtype, device: labels.device);
        var shifted = torch.cat([labels[.., 1..], last], dim: 1);
        return nn.functional.cross_entropy(logits.reshape(-1, vocabulary), shifted.reshape(-1), ignore_index: RecordTokenizer.IgnoreIndex, reduction: reduction);
    }
}
