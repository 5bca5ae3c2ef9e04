using Aigc.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>The causal-LM loss: cross-entropy of the logits at t against the label at t+1, ignoring −100 (as transformers).</summary>
internal static class CausalLmLoss
{
    /// <summary>
    /// Runs the forward and backward passes of one batch: the gradient of <paramref name="scale"/> × the summed loss
    /// accumulates into the trainable parameters. LoRA, full and sparse fine-tuning (whose logits are the base model's
    /// hidden states times the tied head) take the fused head and loss of <see cref="FusedLmHeadLoss"/>, with the
    /// teacher's term when the model is a <see cref="DistillationModel"/>; other models go through their logits.
    /// </summary>
    /// <returns>The summed loss of the batch.</returns>
    public static double ForwardBackward(ITrainableLanguageModel model, Tensor inputIds, Tensor attentionMask, Tensor positionIds, Tensor labels, double scale)
    {
        if (HiddenStates(model, inputIds, attentionMask, positionIds) is { } hidden)
        {
            var teacher = (model as DistillationModel)?.Target(inputIds, attentionMask, positionIds);
            var (sum, surrogate) = FusedLmHeadLoss.Compute(hidden, model.Model.TokenEmbedding, labels, scale, teacher: teacher);
            surrogate!.backward();
            return sum;
        }

        var loss = Compute(model.ComputeLogits(inputIds, attentionMask, positionIds), labels, nn.Reduction.Sum);
        loss.mul(scale).backward();
        return loss.item<float>();
    }

    /// <summary>Computes the summed loss of one batch without gradients.</summary>
    /// <returns>The summed loss.</returns>
    public static double Sum(ITrainableLanguageModel model, Tensor inputIds, Tensor attentionMask, Tensor positionIds, Tensor labels)
    {
        using var noGrad = torch.no_grad();
        if (HiddenStates(model, inputIds, attentionMask, positionIds) is { } hidden)
        {
            return FusedLmHeadLoss.Compute(hidden, model.Model.TokenEmbedding, labels, gradientScale: null).LossSum;
        }

        return Compute(model.ComputeLogits(inputIds, attentionMask, positionIds), labels, nn.Reduction.Sum).item<float>();
    }

    /// <summary>
    /// The final hidden states when the model's logits are exactly those states times the tied head, else
    /// <see langword="null"/>. A distillation's student always is such a model; evaluation scores it without the teacher.
    /// </summary>
    private static Tensor? HiddenStates(ITrainableLanguageModel model, Tensor inputIds, Tensor attentionMask, Tensor positionIds) =>
        model is LoraModel or FullFineTuningModel or SparseFineTuningModel or DistillationModel ? model.Model.ForwardHidden(inputIds, attentionMask, positionIds, null, out _) : null;

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
