using Aigc.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// The tied LM head and the causal-LM loss in one pass over row chunks, without the <c>[tokens, vocab]</c> logits or
/// their gradient ever existing whole (the "fused linear cross-entropy" of Liger-Kernel and Cut Cross-Entropy, done
/// with plain tensor operations). For each chunk of rows: log-probabilities = log_softmax(h·Wᵀ), loss = −log p[label],
/// and the gradient of the summed loss by the logits, (softmax − one-hot)·scale, multiplied back into ∂h = G·W and, when the head trains,
/// ∂W = Gᵀ·h. Autograd then carries ∂h (and adds ∂W) through a surrogate <c>Σ h⊙∂h + Σ W⊙∂W</c>.
/// </summary>
/// <remarks>
/// With a <see cref="DistillationTarget"/>, each chunk also computes the teacher's logits from its hidden states and
/// adds knowledge distillation (Hinton et al.): per labelled token, loss = α·T²·KL(softmax(t/T) ‖ softmax(s/T)) +
/// (1 − α)·CE, whose gradient by the student's logits is α·T·(softmax(s/T) − softmax(t/T)) + (1 − α)·(softmax(s) − one-hot);
/// the chunk then holds a third of the rows, so the memory bound stays the same.
/// </remarks>
/// <remarks>
/// Chunks of about <see cref="ChunkBytes"/> of logits stay below glibc's largest mmap threshold (32 MiB), so their
/// memory is reused from the heap instead of being mapped, faulted in and unmapped every step: with the vocabulary of
/// GPT-2 this halves the time of the head and the loss on a CPU, and the step's peak memory no longer grows with
/// tokens × vocabulary.
/// </remarks>
internal static class FusedLmHeadLoss
{
    /// <summary>The logits of one chunk, in bytes.</summary>
    public const long ChunkBytes = 24L << 20;

    /// <summary>Computes the summed token loss and, when <paramref name="gradientScale"/> is given, the surrogate to call <c>backward()</c> on.</summary>
    /// <param name="hidden">The final hidden states, <c>[batch, seq, d]</c>, part of the autograd graph when training.</param>
    /// <param name="weight">The head's weight (the token embedding), <c>[vocab, d]</c>.</param>
    /// <param name="labels">The labels, <c>[batch, seq]</c>; the logits at t are scored against the label at t+1; −100 is ignored.</param>
    /// <param name="gradientScale">The factor of the summed loss whose gradient is wanted (1 / the step's label count), or <see langword="null"/> to compute the loss only.</param>
    /// <param name="chunkBytes">The size of one chunk's logits.</param>
    /// <param name="teacher">The teacher to distil from, or <see langword="null"/> for the plain causal-LM loss.</param>
    /// <returns>The summed loss, and the surrogate (a scalar whose gradient is that of <c>scale·loss</c>), or <see langword="null"/>.</returns>
    public static (double LossSum, Tensor? Surrogate) Compute(Tensor hidden, Tensor weight, Tensor labels, double? gradientScale, long chunkBytes = ChunkBytes, DistillationTarget? teacher = null)
    {
        var width = hidden.shape[^1];
        var vocabulary = weight.shape[0];
        var rows = hidden.shape[0] * hidden.shape[1];
        var last = torch.full(labels.shape[0], 1, RecordTokenizer.IgnoreIndex, dtype: labels.dtype, device: labels.device);
        var targets = torch.cat([labels[.., 1..], last], dim: 1).reshape(-1);
        var flat = hidden.detach().reshape(rows, width);
        var chunk = Math.Max(1, chunkBytes / (vocabulary * sizeof(float) * (teacher is null ? 1 : 3)));
        var teacherRows = teacher?.Hidden.reshape(rows, -1);
        var trainHead = gradientScale is not null && weight.requires_grad;
        Tensor? hiddenGradient = gradientScale is null ? null : torch.empty_like(flat);
        Tensor? weightGradient = trainHead ? torch.zeros_like(weight) : null;
        var lossSum = torch.zeros(1, dtype: ScalarType.Float64, device: hidden.device);
        using (torch.no_grad())
        {
            var frozen = weight.detach();
            for (long start = 0; start < rows; start += chunk)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(chunk, rows - start);
                var h = flat.narrow(0, start, length);
                var target = targets.narrow(0, start, length);
                var valid = target.ne(RecordTokenizer.IgnoreIndex);
                var safeTarget = target.clamp_min(0).unsqueeze(1);
                var logits = torch.matmul(h, frozen.t());
                var logProbabilities = logits.log_softmax(1);
                var picked = logProbabilities.gather(1, safeTarget).squeeze(1);
                var tokenLoss = picked.neg();
                Tensor? softGradient = null;
                if (teacher is { } t)
                {
                    // KL(q ‖ p_T) per row, with q = softmax(teacher/T) and p_T = softmax(student/T), times T².
                    var temperature = t.Temperature;
                    var teacherLog = torch.matmul(teacherRows!.narrow(0, start, length), t.Weight.t()).div_(temperature).log_softmax(1);
                    var studentLog = logits.div(temperature).log_softmax(1);
                    var teacherProbabilities = teacherLog.exp();
                    var kl = teacherProbabilities.mul(teacherLog.sub_(studentLog)).sum(1);
                    tokenLoss = tokenLoss.mul(1 - t.Alpha).add_(kl.mul_(t.Alpha * temperature * temperature));
                    if (gradientScale is not null)
                    {
                        softGradient = studentLog.exp_().sub_(teacherProbabilities).mul_(t.Alpha * temperature);
                    }
                }

                lossSum.add_(tokenLoss.masked_fill(valid.logical_not(), 0).sum().to(ScalarType.Float64));
                if (gradientScale is { } scale)
                {
                    // softmax − one-hot is the gradient of Σ loss by the logits; the factor of each row (scale, or 0 for
                    // a row without a label) is applied to the [rows, d] products rather than to the [rows, vocab] gradient,
                    // which saves a pass over the largest tensor of the step.
                    var gradient = logProbabilities.exp_();
                    gradient.scatter_add_(1, safeTarget, torch.full(length, 1, -1.0f, dtype: gradient.dtype, device: gradient.device));
                    if (softGradient is not null)
                    {
                        gradient.mul_(1 - teacher!.Value.Alpha).add_(softGradient);
                    }

                    var rowScale = valid.to(gradient.dtype).mul(scale).unsqueeze(1);
                    hiddenGradient!.narrow(0, start, length).copy_(torch.matmul(gradient, frozen).mul_(rowScale));
                    if (weightGradient is not null)
                    {
                        weightGradient.addmm_(gradient.t(), h.mul(rowScale));
                    }
                }
            }
        }

        var loss = lossSum.item<double>();
        if (gradientScale is null)
        {
            return (loss, null);
        }

        var surrogate = hidden.reshape(rows, width).mul(hiddenGradient!).sum();
        if (weightGradient is not null)
        {
            surrogate = surrogate.add(weight.mul(weightGradient).sum());
        }

        return (loss, surrogate);
    }
}
