namespace Aigc.Inference;

/// <summary>
/// One named model served by <c>AddInference</c>: where its ONNX file is, how its session is created and how its
/// requests are batched. Bound from <c>Aigc:Inference:Models:&lt;name&gt;</c>.
/// </summary>
public sealed class InferenceModelOptions
{
    /// <summary>Gets or sets the path of the model's <c>.onnx</c> file.</summary>
    /// <value>The default value is <see langword="null"/>; a path is required.</value>
    public string? Path { get; set; }

    /// <summary>
    /// Gets or sets whether the file's batch dimension is made symbolic at load (see
    /// <see cref="OnnxModelPreparation.MakeBatchDimensionSymbolic(byte[])"/>), for model-zoo files fixed at batch 1.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool MakeBatchDimensionSymbolic { get; set; }

    /// <summary>Gets or sets how the model's session is created.</summary>
    /// <value>The default value is a <see cref="ModelSessionOptions"/> with its defaults.</value>
    public ModelSessionOptions Session { get; set; } = new();

    /// <summary>Gets or sets how the model's requests are batched.</summary>
    /// <value>The default value is a <see cref="BatchingOptions"/> with its defaults.</value>
    public BatchingOptions Batching { get; set; } = new();
}
