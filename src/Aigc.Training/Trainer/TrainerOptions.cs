using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>Settings of a training run, with the Hugging Face Trainer's meanings and (where it has them) defaults.</summary>
public sealed record TrainerOptions : IValidatableObject
{
    /// <summary>Gets the folder for checkpoints and the final artifact.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutputDirectory { get; init; } = "output";

    /// <summary>Gets the number of passes over the training set (ignored when <see cref="MaxSteps"/> is positive).</summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(1, 100_000)]
    public int Epochs { get; init; } = 1;

    /// <summary>Gets the total number of optimizer steps, or 0 to run <see cref="Epochs"/> epochs.</summary>
    [Range(0, int.MaxValue)]
    public int MaxSteps { get; init; }

    /// <summary>Gets the sequences per forward pass.</summary>
    /// <value>The default value is <c>8</c>.</value>
    [Range(1, 65_536)]
    public int BatchSize { get; init; } = 8;

    /// <summary>Gets how many forward passes make one optimizer step (the loss is averaged over all their labelled tokens, so k batches of n train as one of k·n).</summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(1, 65_536)]
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Gets the peak learning rate.</summary>
    /// <value>The default value is <c>5e-5</c> (LoRA usually wants 1e-4 to 1e-3).</value>
    [Range(0.0, 1.0)]
    public double LearningRate { get; init; } = 5e-5;

    /// <summary>Gets AdamW's decoupled weight decay; biases and LayerNorm weights never decay.</summary>
    /// <value>The default value is <c>0</c> (as the Hugging Face Trainer).</value>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; init; }

    /// <summary>Gets AdamW's β1.</summary>
    /// <value>The default value is <c>0.9</c>.</value>
    [Range(0.0, 1.0)]
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>Gets AdamW's β2.</summary>
    /// <value>The default value is <c>0.999</c>.</value>
    [Range(0.0, 1.0)]
    public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>Gets AdamW's ε.</summary>
    /// <value>The default value is <c>1e-8</c>.</value>
    [Range(0.0, 1.0)]
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Gets the gradient-norm clip, or 0 for none.</summary>
    /// <value>The default value is <c>1.0</c>.</value>
    [Range(0.0, 1e6)]
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Gets the schedule after warm-up.</summary>
    /// <value>The default value is <see cref="LearningRateSchedule.Linear"/>.</value>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Linear;

    /// <summary>Gets the warm-up length in optimizer steps (overrides <see cref="WarmupRatio"/> when positive).</summary>
    [Range(0, int.MaxValue)]
    public int WarmupSteps { get; init; }

    /// <summary>Gets the warm-up length as a share of the total steps.</summary>
    [Range(0.0, 1.0)]
    public double WarmupRatio { get; init; }

    /// <summary>Gets how often (optimizer steps) to evaluate on the validation set, or 0 for only at the end.</summary>
    [Range(0, int.MaxValue)]
    public int EvalSteps { get; init; }

    /// <summary>Gets how often (optimizer steps) to write a checkpoint, or 0 for none.</summary>
    [Range(0, int.MaxValue)]
    public int SaveSteps { get; init; }

    /// <summary>Gets how many of the newest checkpoints to keep (the best one is always kept).</summary>
    /// <value>The default value is <c>2</c>.</value>
    [Range(1, 1000)]
    public int SaveTotalLimit { get; init; } = 2;

    /// <summary>Gets how many evaluations without improvement stop the run, or 0 to never stop early.</summary>
    [Range(0, 10_000)]
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Gets the smallest drop in validation loss that counts as an improvement.</summary>
    [Range(0.0, 1e6)]
    public double EarlyStoppingThreshold { get; init; }

    /// <summary>Gets the seed of the data order, the initialisation and dropout.</summary>
    /// <value>The default value is <c>42</c>.</value>
    public int Seed { get; init; } = 42;

    /// <summary>Gets whether to continue from the newest checkpoint in <see cref="OutputDirectory"/> when there is one.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResumeFromCheckpoint { get; init; } = true;

    /// <summary>Gets the device: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>The default value is <c>cpu</c>.</value>
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "The device must be 'cpu', 'cuda' or 'cuda:N'.")]
    public string Device { get; init; } = "cpu";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EarlyStoppingPatience > 0 && EvalSteps == 0)
        {
            yield return new ValidationResult("Early stopping needs periodic evaluation: set EvalSteps.", [nameof(EvalSteps)]);
        }
    }

    /// <summary>Validates the options and throws one error listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void EnsureValid() => OptionsValidation.EnsureValid(this, "trainer");
}
