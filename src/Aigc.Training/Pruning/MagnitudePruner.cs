using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Unstructured magnitude pruning (Han et al., 2015; PyTorch's <c>l1_unstructured</c>/<c>global_unstructured</c>):
/// the entries of the targeted Conv1D weights with the smallest absolute value become zero, globally or per matrix,
/// and the masks are returned so a recovery fine-tune (<see cref="SparseFineTuningModel"/>) keeps them at zero.
/// The model keeps its shapes; the zeros pay off in compressed files and sparse kernels, not in dense ONNX speed.
/// </summary>
public static class MagnitudePruner
{
    /// <summary>Prunes <paramref name="model"/> in place to the target sparsity.</summary>
    /// <param name="model">The model (its targeted weights are changed).</param>
    /// <param name="options">The target sparsity, scope and layers.</param>
    /// <param name="progress">Receives a report after each weight matrix is ranked and after each is pruned.</param>
    /// <returns>The masks and the sparsity reached.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or <see cref="MagnitudePruningOptions.TargetModules"/> matches no layer.</exception>
    public static MagnitudePruningResult Prune(Gpt2LanguageModel model, MagnitudePruningOptions options, IProgress<PruningProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        var targets = Targets(model, options.TargetModules);
        var masks = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var noGrad = torch.no_grad();
        double? globalThreshold = null;
        if (options.Scope == PruningScope.Global)
        {
            using var scope = torch.NewDisposeScope();
            var all = torch.cat(targets.Select(t => t.Weight.detach().abs().reshape(-1)).ToArray());
            globalThreshold = Threshold(all, options.TargetSparsity);
            progress?.Report(new PruningProgress("rank", targets.Count, targets.Count));
        }

        var layerSparsity = new Dictionary<string, double>(StringComparer.Ordinal);
        long zeros = 0, total = 0;
        for (var i = 0; i < targets.Count; i++)
        {
            var (name, weight) = targets[i];
            using (var scope = torch.NewDisposeScope())
            {
                var magnitude = weight.detach().abs();
                var threshold = globalThreshold ?? Threshold(magnitude.reshape(-1), options.TargetSparsity);
                var mask = double.IsNegativeInfinity(threshold) ? torch.ones_like(magnitude, dtype: ScalarType.Bool) : magnitude.gt(threshold);
                weight.mul_(mask);
                masks[name] = mask.MoveToOuterDisposeScope();
            }

            var kept = masks[name].count_nonzero().item<long>();
            zeros += weight.numel() - kept;
            total += weight.numel();
            layerSparsity[name] = 1.0 - ((double)kept / weight.numel());
            progress?.Report(new PruningProgress("prune", i + 1, targets.Count));
        }

        return new MagnitudePruningResult(masks, (double)zeros / total, layerSparsity);
    }

    /// <summary>Measures the share of exact zeros in the targeted weights (every Conv1D weight when <paramref name="targetModules"/> is <see langword="null"/>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="targetModules">Layer name suffixes, or <see langword="null"/> for all Conv1D layers.</param>
    /// <returns>The share of zeros, in [0, 1].</returns>
    /// <exception cref="ArgumentException"><paramref name="targetModules"/> matches no layer.</exception>
    public static double MeasureSparsity(Gpt2LanguageModel model, IReadOnlyList<string>? targetModules = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        long zeros = 0, total = 0;
        using var noGrad = torch.no_grad();
        foreach (var (_, weight) in Targets(model, targetModules))
        {
            using var nonZero = weight.count_nonzero();
            zeros += weight.numel() - nonZero.item<long>();
            total += weight.numel();
        }

        return (double)zeros / total;
    }

    /// <summary>The largest magnitude that goes: the k-th smallest of <paramref name="magnitudes"/>, k = ⌈sparsity · n⌉, so the target is reached (−∞ when k is 0).</summary>
    private static double Threshold(Tensor magnitudes, double sparsity)
    {
        var k = (long)Math.Ceiling((sparsity * magnitudes.numel()) - 1e-6);
        if (k == 0)
        {
            return double.NegativeInfinity;
        }

        var (values, _) = magnitudes.kthvalue(k, 0);
        return values.item<float>();
    }

    private static List<(string Name, TorchSharp.Modules.Parameter Weight)> Targets(Gpt2LanguageModel model, IReadOnlyList<string>? targetModules)
    {
        var layers = OnnxExporter.Conv1DLayers(model);
        var targets = layers
            .Where(l => targetModules is null || targetModules.Any(suffix => l.Path == suffix || l.Path.EndsWith("." + suffix, StringComparison.Ordinal)))
            .Select(l => (l.Path + ".weight", l.Layer.Weight))
            .ToList();
        if (targets.Count == 0)
        {
            throw new ArgumentException(
                $"Target modules [{string.Join(", ", targetModules ?? [])}] match no layer; the Conv1D layers are {string.Join(", ", layers.Take(4).Select(l => l.Path))}, … (use a suffix such as c_attn, attn.c_proj, c_fc, mlp.c_proj).",
                nameof(targetModules));
        }

        return targets;
    }
}
