using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>
/// Settings of unstructured magnitude pruning: the smallest-magnitude entries of the targeted weight matrices are set
/// to zero until <see cref="TargetSparsity"/> of them are. Bound from <c>Aigc:Training:MagnitudePruning</c> by
/// <c>AddTraining()</c> and validated at start-up.
/// </summary>
public sealed record MagnitudePruningOptions
{
    /// <summary>The configuration sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Training:MagnitudePruning";

    /// <summary>Gets the share of the targeted weights that end at zero.</summary>
    /// <value>The default value is <c>0.5</c>.</value>
    [Range(0.0, 0.99)]
    public double TargetSparsity { get; init; } = 0.5;

    /// <summary>Gets whether one threshold covers every targeted matrix or each matrix loses the same share.</summary>
    /// <value>The default value is <see cref="PruningScope.Global"/>.</value>
    public PruningScope Scope { get; init; } = PruningScope.Global;

    /// <summary>
    /// Gets the targeted layers by name suffix (<c>c_attn</c>, <c>attn.c_proj</c>, <c>c_fc</c>, <c>mlp.c_proj</c>), or
    /// <see langword="null"/> for every Conv1D layer. Embeddings (the tied LM head), biases and LayerNorms are never pruned.
    /// </summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>Validates the options and throws one error listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void EnsureValid() => OptionsValidation.EnsureValid(this, "magnitude pruning");
}
