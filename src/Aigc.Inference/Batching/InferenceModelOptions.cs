namespace Aigc.Inference;

/// <summary>
/// One named model served by <c>AddInference</c>: where its ONNX file is (a local <see cref="Path"/>, or a registered
/// <see cref="Model"/> served through a <see cref="ModelRouter{TModel}"/>), how its session is created and how its
/// requests are batched. Bound from <c>Aigc:Inference:Models:&lt;name&gt;</c>.
/// </summary>
public sealed class InferenceModelOptions
{
    /// <summary>Gets or sets the path of the model's <c>.onnx</c> file; set this or <see cref="Model"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Path { get; set; }

    /// <summary>
    /// Gets or sets the registered model to serve, through a <see cref="ModelRouter{TModel}"/> that follows alias moves:
    /// <c>@champion</c> (an alias of the model named like this entry), <c>models:/writer@champion</c>,
    /// <c>models:/writer/3</c> (a pinned version). Set this or <see cref="Path"/>; it needs <c>AddModelRegistry()</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the router's canary routes, shadow and retry settings, for a registered <see cref="Model"/>. With no
    /// routes, the router serves <see cref="Model"/> alone.
    /// </summary>
    /// <value>The default value is a <see cref="ModelRouterOptions"/> with its defaults.</value>
    public ModelRouterOptions Routing { get; set; } = new();

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
