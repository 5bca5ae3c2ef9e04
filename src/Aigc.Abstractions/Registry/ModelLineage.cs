namespace Aigc;

/// <summary>
/// Where a model version came from: the dataset versions it was trained on, the model it was trained from, the
/// training run, its parameters and its metrics.
/// </summary>
public sealed record ModelLineage
{
    /// <summary>Gets the dataset versions (name, version, fingerprint) the model was trained on.</summary>
    public IReadOnlyList<DatasetReference> Datasets { get; init; } = [];

    /// <summary>
    /// Gets the registered model version this one was trained from (for example <c>models:/gpt2-small/1</c>), or
    /// <see langword="null"/>. An alias URI (<c>models:/base@champion</c>) is resolved to its version when the
    /// version is registered, so the lineage never moves.
    /// </summary>
    public ModelUri? BaseModel { get; init; }

    /// <summary>
    /// Gets where the base model came from when it is not in the registry (for example a Hugging Face id such as
    /// <c>openai-community/gpt2</c> or a checkpoint path), or <see langword="null"/>.
    /// </summary>
    public string? BaseModelSource { get; init; }

    /// <summary>Gets the id of the training run that produced the version, or <see langword="null"/>.</summary>
    public string? TrainingRunId { get; init; }

    /// <summary>Gets the training parameters (for example <c>lora.r</c> → <c>8</c>, <c>learning_rate</c> → <c>2e-4</c>).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the metrics measured on the version (for example <c>eval.loss</c> → <c>1.73</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
