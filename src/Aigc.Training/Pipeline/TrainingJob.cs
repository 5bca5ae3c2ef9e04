using Aigc.Data;

namespace Aigc.Training;

/// <summary>What a <see cref="TrainPipelineStep"/> trains: the model and its data, prepared from the earlier steps' outputs.</summary>
/// <param name="Model">The model to train (full fine-tuning, LoRA or prompt tuning); the step disposes its module after the run.</param>
/// <param name="Train">The training sequences.</param>
/// <param name="Validation">The validation sequences, or <see langword="null"/>.</param>
public sealed record TrainingJob(ITrainableLanguageModel Model, IReadOnlyList<PackedSequence> Train, IReadOnlyList<PackedSequence>? Validation = null)
{
    /// <summary>Gets the checkpoint folder of the base model an adapter is trained on, recorded so the export can merge it.</summary>
    public string? BaseModelDirectory { get; init; }
}
