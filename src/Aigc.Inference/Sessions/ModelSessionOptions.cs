using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>How a <see cref="ModelSession"/> creates its ONNX Runtime session.</summary>
public sealed class ModelSessionOptions
{
    /// <summary>Gets or sets the execution provider.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: the layer-wide <see cref="InferenceOptions.ExecutionProvider"/>
    /// for models registered with <c>AddInference</c>, <see cref="Inference.ExecutionProvider.Auto"/> otherwise.
    /// </value>
    [EnumDataType(typeof(ExecutionProvider))]
    public ExecutionProvider? ExecutionProvider { get; set; }

    /// <summary>Gets or sets the CUDA device the session runs on when the provider is CUDA.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: the layer-wide <see cref="InferenceOptions.DeviceId"/> for
    /// models registered with <c>AddInference</c>, device 0 otherwise.
    /// </value>
    [Range(0, 64)]
    public int? DeviceId { get; set; }

    /// <summary>
    /// Gets the CUDA provider options passed to ONNX Runtime as they are (for example <c>gpu_mem_limit</c>,
    /// <c>arena_extend_strategy</c>, <c>cudnn_conv_algo_search</c>); <c>device_id</c> comes from <see cref="DeviceId"/>.
    /// </summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string> CudaProviderOptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how much ONNX Runtime optimises the graph at load.</summary>
    /// <value>The default value is <see cref="GraphOptimization.All"/>.</value>
    [EnumDataType(typeof(GraphOptimization))]
    public GraphOptimization GraphOptimization { get; set; } = GraphOptimization.All;

    /// <summary>Gets or sets the number of threads one operator may use; <c>0</c> lets ONNX Runtime choose (one per core).</summary>
    /// <value>The default value is <c>0</c>.</value>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Gets or sets the number of threads that run independent nodes in <see cref="SessionExecutionMode.Parallel"/> mode; <c>0</c> lets ONNX Runtime choose.</summary>
    /// <value>The default value is <c>0</c>.</value>
    [Range(0, 1024)]
    public int InterOpThreads { get; set; }

    /// <summary>Gets or sets whether independent nodes run one after another or in parallel.</summary>
    /// <value>The default value is <see cref="SessionExecutionMode.Sequential"/>.</value>
    [EnumDataType(typeof(SessionExecutionMode))]
    public SessionExecutionMode ExecutionMode { get; set; } = SessionExecutionMode.Sequential;

    /// <summary>Gets or sets whether ONNX Runtime keeps freed CPU memory in its arena for reuse.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableMemoryArena { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the session runs the model once at load, on zeros with every symbolic dimension set
    /// to 1, so the first request does not pay for lazy initialisation.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool WarmUp { get; set; } = true;

    /// <summary>Copies the options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public ModelSessionOptions Clone()
    {
        var copy = new ModelSessionOptions
        {
            ExecutionProvider = ExecutionProvider,
            DeviceId = DeviceId,
            GraphOptimization = GraphOptimization,
            IntraOpThreads = IntraOpThreads,
            InterOpThreads = InterOpThreads,
            ExecutionMode = ExecutionMode,
            EnableMemoryArena = EnableMemoryArena,
            WarmUp = WarmUp,
        };
        foreach (var pair in CudaProviderOptions)
        {
            copy.CudaProviderOptions[pair.Key] = pair.Value;
        }

        return copy;
    }
}
