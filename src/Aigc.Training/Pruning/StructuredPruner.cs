using System.Globalization;
using Aigc.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Structured pruning of a GPT-2 model: in every layer the least important attention heads and MLP channels are
/// removed, and a new, smaller model is built — <c>c_attn</c> <c>[n_embd, 3·kept·head]</c> and <c>attn.c_proj</c>
/// <c>[kept·head, n_embd]</c> with the removed heads recorded in <see cref="Gpt2Config.PrunedHeads"/> (Hugging Face's
/// <c>pruned_heads</c>), and a smaller <see cref="Gpt2Config.InnerSize"/>. The result saves as a model folder,
/// exports to ONNX and serves like any other; follow it with a short recovery fine-tune (<see cref="FullFineTuningModel"/>
/// or a <see cref="DistillationModel"/> with the unpruned model as teacher).
/// </summary>
/// <remarks>
/// Importance is per unit (<see cref="PruningImportance"/>): the L2 norm of the unit's weights, or first-order Taylor
/// |Σ gradient × weight| over a calibration set. Every layer loses the same number of heads and channels, so the KV
/// cache keeps one head count across layers (as the generation engine expects) and <c>n_inner</c> stays one number.
/// </remarks>
public static class StructuredPruner
{
    /// <summary>Builds the pruned model.</summary>
    /// <param name="model">The source model (unchanged; it must have no unmerged LoRA adapters).</param>
    /// <param name="options">How much to remove and how to rank.</param>
    /// <param name="calibration">The sequences for <see cref="PruningImportance.GradientTimesWeight"/> (ignored by <see cref="PruningImportance.WeightNorm"/>).</param>
    /// <param name="progress">Receives a report per calibration batch, per ranked layer and when the model is built.</param>
    /// <returns>The pruned model and what was removed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or the importance needs a calibration set and none was given.</exception>
    /// <exception cref="NotSupportedException">The model carries LoRA adapters (merge them first).</exception>
    public static StructuredPruningResult Prune(Gpt2LanguageModel model, StructuredPruningOptions options, IReadOnlyList<PackedSequence>? calibration = null, IProgress<PruningProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        if (options.Importance == PruningImportance.GradientTimesWeight && calibration is not { Count: > 0 })
        {
            throw new ArgumentException("GradientTimesWeight importance needs a calibration set (a few batches of training-like sequences); pass one, or use WeightNorm.", nameof(calibration));
        }

        if (model.named_parameters().Any(p => p.name.Contains(".lora_", StringComparison.Ordinal)))
        {
            throw new NotSupportedException("The model carries LoRA adapters; prune LoraModel.MergeAndUnload() instead.");
        }

        var config = model.Config;
        var layers = config.Layers;
        var (headScores, channelScores) = options.Importance == PruningImportance.WeightNorm
            ? WeightNormScores(model)
            : TaylorScores(model, calibration!, options.CalibrationBatchSize, progress);

        var removedHeads = new List<IReadOnlyList<int>>(layers);
        var keptChannels = new List<IReadOnlyList<int>>(layers);
        var prunedHeads = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        var inner = config.EffectiveInnerSize;
        var keepChannels = inner - Math.Min(inner - 1, (int)Math.Round(options.MlpChannelRatio * inner));
        var keptHeads = new List<List<int>>(layers);
        for (var layer = 0; layer < layers; layer++)
        {
            var heads = config.HeadsInLayer(layer);
            var keepHeads = heads - Math.Min(heads - 1, (int)Math.Round(options.HeadRatio * heads));
            var kept = Top(headScores[layer], keepHeads);
            keptHeads.Add(kept);
            var removed = Enumerable.Range(0, heads).Except(kept).Select(h => OriginalHead(config, layer, h)).ToList();
            removedHeads.Add(removed);
            var allRemoved = config.RemovedHeads(layer).Concat(removed).Order().ToList();
            if (allRemoved.Count > 0)
            {
                prunedHeads[layer.ToString(CultureInfo.InvariantCulture)] = allRemoved;
            }

            keptChannels.Add(Top(channelScores[layer], keepChannels));
        }

        // The new model is built outside any dispose scope: its parameters must outlive this method.
        var prunedConfig = config with { InnerSize = keepChannels, PrunedHeads = prunedHeads.Count > 0 ? prunedHeads : null };
        var pruned = new Gpt2LanguageModel(prunedConfig);
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var state = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach(), StringComparer.Ordinal);
            for (var layer = 0; layer < layers; layer++)
            {
                Select(state, layer, keptHeads[layer], config.HeadsInLayer(layer), config.HeadSize, keptChannels[layer]);
                progress?.Report(new PruningProgress("prune", layer + 1, layers));
            }

            Gpt2Checkpoint.LoadWeights(pruned, state);
        }

        pruned.to(model.TokenEmbedding.device);
        pruned.train(model.training);
        return new StructuredPruningResult(pruned, removedHeads, keptChannels, Count(model), Count(pruned));
    }

    /// <summary>The original index of the current head <paramref name="head"/> of a layer (heads pruned before are skipped).</summary>
    private static int OriginalHead(Gpt2Config config, int layer, int head) =>
        Enumerable.Range(0, config.Heads).Except(config.RemovedHeads(layer)).ElementAt(head);

    /// <summary>Replaces layer <paramref name="layer"/>'s attention and MLP weights in <paramref name="state"/> by their kept rows and columns.</summary>
    private static void Select(Dictionary<string, Tensor> state, int layer, IReadOnlyList<int> heads, int headCount, int headSize, IReadOnlyList<int> channels)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"transformer.h.{layer}.");
        var width = headCount * headSize;
        var device = state[prefix + "attn.c_attn.weight"].device;
        var rows = heads.SelectMany(h => Enumerable.Range(h * headSize, headSize)).Select(i => (long)i).ToArray();
        var qkv = torch.tensor(rows.Concat(rows.Select(r => r + width)).Concat(rows.Select(r => r + (2 * width))).ToArray(), device: device);
        var headRows = torch.tensor(rows, device: device);
        var channelIndex = torch.tensor(channels.Select(c => (long)c).ToArray(), device: device);
        state[prefix + "attn.c_attn.weight"] = state[prefix + "attn.c_attn.weight"].index_select(1, qkv);
        state[prefix + "attn.c_attn.bias"] = state[prefix + "attn.c_attn.bias"].index_select(0, qkv);
        state[prefix + "attn.c_proj.weight"] = state[prefix + "attn.c_proj.weight"].index_select(0, headRows);
        state[prefix + "mlp.c_fc.weight"] = state[prefix + "mlp.c_fc.weight"].index_select(1, channelIndex);
        state[prefix + "mlp.c_fc.bias"] = state[prefix + "mlp.c_fc.bias"].index_select(0, channelIndex);
        state[prefix + "mlp.c_proj.weight"] = state[prefix + "mlp.c_proj.weight"].index_select(0, channelIndex);
    }

    /// <summary>The indices of the <paramref name="count"/> highest scores, ascending (ties keep the lower index).</summary>
    private static List<int> Top(double[] scores, int count) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count).Order().ToList();

    /// <summary>Per layer, each head's and each channel's weight L2 norm.</summary>
    private static (double[][] Heads, double[][] Channels) WeightNormScores(Gpt2LanguageModel model)
    {
        using var noGrad = torch.no_grad();
        return GroupSums(model, p => p.detach().pow(2), sqrt: true);
    }

    /// <summary>Per layer, |Σ gradient × weight| of each head and channel, summed over calibration batches.</summary>
    private static (double[][] Heads, double[][] Channels) TaylorScores(Gpt2LanguageModel model, IReadOnlyList<PackedSequence> calibration, int batchSize, IProgress<PruningProgress>? progress)
    {
        var config = model.Config;
        var heads = Enumerable.Range(0, config.Layers).Select(l => new double[config.HeadsInLayer(l)]).ToArray();
        var channels = Enumerable.Range(0, config.Layers).Select(_ => new double[config.EffectiveInnerSize]).ToArray();
        var parameters = model.named_parameters().ToList();
        var wasTraining = model.training;
        var requiresGrad = parameters.Select(p => p.parameter.requires_grad).ToArray();
        var full = new FullFineTuningModel(model); // makes every parameter require gradients; restored below
        var device = model.TokenEmbedding.device.ToString();
        var batches = (calibration.Count + batchSize - 1) / batchSize;
        model.eval();
        try
        {
            for (var b = 0; b < batches; b++)
            {
                using var scope = torch.NewDisposeScope();
                var indices = Enumerable.Range(b * batchSize, Math.Min(batchSize, calibration.Count - (b * batchSize))).ToArray();
                var labels = Batch.CountLabels(calibration, indices);
                if (labels == 0)
                {
                    continue;
                }

                var batch = Batch.Create(calibration, indices, device);
                model.zero_grad();
                CausalLmLoss.ForwardBackward(full, batch.InputIds, batch.AttentionMask, batch.PositionIds, batch.Labels, 1.0 / labels);
                using (torch.no_grad())
                {
                    var (h, c) = GroupSums(model, p => p.grad is { } g ? g.mul(p.detach()) : torch.zeros_like(p), sqrt: false);
                    for (var l = 0; l < config.Layers; l++)
                    {
                        Accumulate(heads[l], h[l]);
                        Accumulate(channels[l], c[l]);
                    }
                }

                progress?.Report(new PruningProgress("calibrate", b + 1, batches));
            }
        }
        finally
        {
            model.zero_grad();
            for (var i = 0; i < parameters.Count; i++)
            {
                parameters[i].parameter.requires_grad = requiresGrad[i];
            }

            model.train(wasTraining);
        }

        return (heads, channels);
    }

    private static void Accumulate(double[] total, double[] batch)
    {
        for (var i = 0; i < total.Length; i++)
        {
            total[i] += Math.Abs(batch[i]);
        }
    }

    /// <summary>
    /// Sums <paramref name="entry"/> of each weight and bias entry over the entries that belong to each head (its
    /// q, k, v columns of <c>c_attn</c> and its rows of <c>attn.c_proj</c>) and each MLP channel (its <c>c_fc</c>
    /// column and bias, its <c>mlp.c_proj</c> row).
    /// </summary>
    private static (double[][] Heads, double[][] Channels) GroupSums(Gpt2LanguageModel model, Func<TorchSharp.Modules.Parameter, Tensor> entry, bool sqrt)
    {
        var config = model.Config;
        var headSize = config.HeadSize;
        var heads = new double[config.Layers][];
        var channels = new double[config.Layers][];
        for (var l = 0; l < config.Layers; l++)
        {
            using var scope = torch.NewDisposeScope();
            var block = model.Blocks[l];
            var h = block.Attention.HeadCount;
            var embd = config.EmbeddingSize;
            var headSum = entry(block.Attention.CAttn.Weight).view(embd, 3, h, headSize).sum([0, 1, 3])
                .add(entry(block.Attention.CAttn.Bias).view(3, h, headSize).sum([0, 2]))
                .add(entry(block.Attention.CProj.Weight).view(h, headSize, embd).sum([1, 2]));
            var channelSum = entry(block.Mlp.CFc.Weight).sum(0)
                .add(entry(block.Mlp.CFc.Bias))
                .add(entry(block.Mlp.CProj.Weight).sum(1));
            heads[l] = ToArray(sqrt ? headSum.sqrt() : headSum);
            channels[l] = ToArray(sqrt ? channelSum.sqrt() : channelSum);
        }

        return (heads, channels);
    }

    private static double[] ToArray(Tensor t) => t.to(ScalarType.Float64).cpu().data<double>().ToArray();

    private static long Count(Gpt2LanguageModel model) => model.parameters().Sum(p => p.numel());
}
