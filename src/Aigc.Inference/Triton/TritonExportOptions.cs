using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>How <see cref="TritonModelRepository"/> writes a model's <c>config.pbtxt</c>.</summary>
public sealed class TritonExportOptions
{
    /// <summary>Gets or sets the model's name in the Triton repository (its folder name), or <see langword="null"/> for the registered name.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelName { get; set; }

    /// <summary>Gets or sets the ONNX file's path inside the registered version, or <see langword="null"/> for its only <c>.onnx</c> file (<c>model.onnx</c> when there are several).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ArtifactPath { get; set; }

    /// <summary>
    /// Gets or sets Triton's <c>max_batch_size</c>. When every input and output has a variable leading dimension,
    /// that dimension becomes Triton's batch dimension (left out of <c>dims</c>) and <c>dynamic_batching</c> is
    /// written; otherwise <c>max_batch_size</c> is 0 and dims are written whole.
    /// </summary>
    /// <value>The default value is <c>8</c>.</value>
    [Range(1, 1 << 20)]
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>Gets the batch sizes the dynamic batcher sends at once (Triton's <c>preferred_batch_size</c>).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<int> PreferredBatchSizes { get; } = new List<int>();

    /// <summary>Gets or sets how long the dynamic batcher waits to fill a batch (Triton's <c>max_queue_delay_microseconds</c>).</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the number of model instances (Triton's <c>instance_group.count</c>).</summary>
    /// <value>The default value is <c>1</c>.</value>
    [Range(1, 1024)]
    public int InstanceCount { get; set; } = 1;

    /// <summary>Gets or sets where instances run: <see cref="ExecutionProvider.Auto"/> (<c>KIND_AUTO</c>), <see cref="ExecutionProvider.Cpu"/> (<c>KIND_CPU</c>) or <see cref="ExecutionProvider.Cuda"/> (<c>KIND_GPU</c>).</summary>
    /// <value>The default value is <see cref="ExecutionProvider.Auto"/>.</value>
    public ExecutionProvider InstanceKind { get; set; } = ExecutionProvider.Auto;
}
