using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>
/// Settings of structured pruning: the same number of attention heads and MLP channels leaves every layer (so the
/// pruned model has one head count for its KV cache, as serving expects, and one <c>n_inner</c>, as Hugging Face's
/// GPT-2 configuration has). Bound from <c>Aigc:Training:StructuredPruning</c> by <c>AddTraining()</c> and
/// validated at start-up.
/// </summary>
public sealed record StructuredPruningOptions : IValidatableObject
{
    /// <summary>The configuration sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Training:StructuredPruning";

    /// <summary>Gets the share of each layer's attention heads to remove (rounded to whole heads; at least one head stays).</summary>
    /// <value>The default value is <c>0.25</c>.</value>
    [Range(0.0, 0.95)]
    public double HeadRatio { get; init; } = 0.25;

    /// <summary>Gets the share of each layer's MLP channels (<c>n_inner</c>) to remove (rounded to whole channels; at least one stays).</summary>
    /// <value>The default value is <c>0.25</c>.</value>
    [Range(0.0, 0.95)]
    public double MlpChannelRatio { get; init; } = 0.25;

    /// <summary>Gets how heads and channels are ranked.</summary>
    /// <value>The default value is <see cref="PruningImportance.WeightNorm"/>.</value>
    public PruningImportance Importance { get; init; } = PruningImportance.WeightNorm;

    /// <summary>Gets the sequences per forward pass when <see cref="Importance"/> takes gradients on a calibration set.</summary>
    /// <value>The default value is <c>8</c>.</value>
    [Range(1, 65_536)]
    public int CalibrationBatchSize { get; init; } = 8;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeadRatio == 0 && MlpChannelRatio == 0)
        {
            yield return new ValidationResult("Nothing to prune: HeadRatio and MlpChannelRatio are both 0.", [nameof(HeadRatio), nameof(MlpChannelRatio)]);
        }
    }

    /// <summary>Validates the options and throws one error listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void EnsureValid() => OptionsValidation.EnsureValid(this, "structured pruning");
}
