namespace Aigc.Training;

/// <summary>The outcome of <see cref="StructuredPruner.Prune"/>: a new, physically smaller model and what left it.</summary>
/// <param name="Model">The pruned model (a new module: the caller owns and disposes it; the source model is unchanged).</param>
/// <param name="RemovedHeads">Per layer, the original indices of the heads removed by this pass.</param>
/// <param name="KeptChannels">Per layer, the indices (in the source model) of the MLP channels kept.</param>
/// <param name="ParametersBefore">The source model's parameter count.</param>
/// <param name="ParametersAfter">The pruned model's parameter count.</param>
public sealed record StructuredPruningResult(
    Gpt2LanguageModel Model,
    IReadOnlyList<IReadOnlyList<int>> RemovedHeads,
    IReadOnlyList<IReadOnlyList<int>> KeptChannels,
    long ParametersBefore,
    long ParametersAfter);
