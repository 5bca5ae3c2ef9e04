using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>Settings of a <see cref="DiffusionPipeline"/>: the model folder, the scheduler and the batch limits.</summary>
public sealed class DiffusionPipelineOptions
{
    /// <summary>
    /// Gets or sets the model folder in the Hugging Face Optimum Stable Diffusion ONNX layout: <c>text_encoder/model.onnx</c>,
    /// <c>unet/model.onnx</c>, <c>vae_decoder/model.onnx</c>, optional <c>vae_encoder/model.onnx</c> (image-to-image),
    /// <c>tokenizer/vocab.json</c> + <c>merges.txt</c> and <c>scheduler/scheduler_config.json</c>.
    /// </summary>
    /// <value>The default value is empty; it must be set.</value>
    [Required]
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the model's name on metrics.</summary>
    /// <value>The default value is the folder's name.</value>
    public string? ModelName { get; set; }

    /// <summary>
    /// Gets or sets the scheduler requests use unless they name one, or <see langword="null"/> for the one
    /// <c>scheduler_config.json</c> names (<c>_class_name</c>), and DPM-Solver++ 2M when it names none of the four supported.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DiffusionSchedulerKind? Scheduler { get; set; }

    /// <summary>Gets or sets the most UNet rows one call takes; classifier-free guidance takes two rows an image.</summary>
    /// <value>The default value is <c>16</c>.</value>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Gets or sets the execution provider of the three sessions.</summary>
    /// <value>The default value is <see cref="ExecutionProvider.Cpu"/>.</value>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    /// <summary>Gets or sets ONNX Runtime's intra-op thread count, or <c>0</c> for its default (one per core).</summary>
    /// <value>The default value is <c>0</c>.</value>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    internal void ThrowIfInvalid()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid diffusion pipeline options: " + string.Join("; ", results.Select(r => r.ErrorMessage)) + ".", "options");
        }
    }
}
