using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>The outcome of <see cref="MagnitudePruner.Prune"/>: the masks to keep during recovery, and the sparsity reached.</summary>
/// <param name="Masks">Per pruned weight (by parameter name), a boolean tensor of its shape: <see langword="true"/> where the weight stays. Pass them to <see cref="SparseFineTuningModel"/>.</param>
/// <param name="Sparsity">The share of zeros over all targeted weights (at least the target; ties at the threshold also go).</param>
/// <param name="LayerSparsity">The share of zeros per pruned weight, by parameter name.</param>
public sealed record MagnitudePruningResult(IReadOnlyDictionary<string, Tensor> Masks, double Sparsity, IReadOnlyDictionary<string, double> LayerSparsity);
