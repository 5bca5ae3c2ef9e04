using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>
/// Settings of knowledge distillation (Hinton et al., 2015): the student's loss per labelled token is
/// α·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α)·cross-entropy, as in the Hugging Face distillation
/// examples. Bound from <c>Aigc:Training:Distillation</c> by <c>AddTraining()</c> and validated at start-up.
/// </summary>
public sealed record DistillationOptions
{
    /// <summary>The configuration sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Training:Distillation";

    /// <summary>Gets the softmax temperature T (above 1 softens both distributions, so the teacher's ranking of unlikely tokens carries over).</summary>
    /// <value>The default value is <c>2.0</c>.</value>
    [Range(0.05, 100.0)]
    public double Temperature { get; init; } = 2.0;

    /// <summary>Gets α, the weight of the distillation term; the causal-LM loss on the labels gets 1 − α.</summary>
    /// <value>The default value is <c>0.5</c>.</value>
    [Range(0.0, 1.0)]
    public double Alpha { get; init; } = 0.5;

    /// <summary>Validates the options and throws one error listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void EnsureValid() => OptionsValidation.EnsureValid(this, "distillation");
}
