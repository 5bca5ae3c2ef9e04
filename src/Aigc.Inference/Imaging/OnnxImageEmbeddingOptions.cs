using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>
/// Settings of an <see cref="OnnxImageEmbeddingGenerator"/>: the model and how images become its input. Each pixel
/// value p in [0, 255] becomes (p · <see cref="PixelScale"/> − mean_c) / std_c, planar <c>[batch, 3, H, W]</c> in RGB order.
/// </summary>
public sealed class OnnxImageEmbeddingOptions
{
    /// <summary>Gets or sets the ONNX file: one float input <c>[batch, 3, H, W]</c>, one float output whose per-image values are the features.</summary>
    /// <value>The default value is empty; it must be set.</value>
    [Required]
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the output to read, or <see langword="null"/> for the model's first.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? OutputName { get; set; }

    /// <summary>Gets or sets the input width, or <see langword="null"/> for the model's (which must then be fixed).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(1, 16384)]
    public int? Width { get; set; }

    /// <summary>Gets or sets the input height, or <see langword="null"/> for the model's (which must then be fixed).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(1, 16384)]
    public int? Height { get; set; }

    /// <summary>Gets or sets the factor each 0–255 pixel value is multiplied by before normalization.</summary>
    /// <value>The default value is <c>1/255</c> (pixels in [0, 1], as torchvision's <c>ToTensor</c>).</value>
    public float PixelScale { get; set; } = 1f / 255f;

    /// <summary>Gets or sets the per-channel (R, G, B) mean subtracted after scaling.</summary>
    /// <value>The default value is <c>[0, 0, 0]</c>; ImageNet models usually want <c>[0.485, 0.456, 0.406]</c>.</value>
    public IReadOnlyList<float> Mean { get; set; } = [0f, 0f, 0f];

    /// <summary>Gets or sets the per-channel (R, G, B) standard deviation divided by after subtracting the mean.</summary>
    /// <value>The default value is <c>[1, 1, 1]</c>; ImageNet models usually want <c>[0.229, 0.224, 0.225]</c>.</value>
    public IReadOnlyList<float> Std { get; set; } = [1f, 1f, 1f];

    /// <summary>Gets or sets the most images per run when the model's batch dimension is symbolic (a fixed batch of 1 runs one at a time).</summary>
    /// <value>The default value is <c>16</c>.</value>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Gets or sets the execution provider.</summary>
    /// <value>The default value is <see cref="ExecutionProvider.Cpu"/>.</value>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    internal void ThrowIfInvalid()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => r.ErrorMessage).ToList();
        if (Mean is not { Count: 3 } || Std is not { Count: 3 })
        {
            errors.Add("Mean and Std need three values each (R, G, B)");
        }
        else if (Std.Any(s => !(s > 0)))
        {
            errors.Add("every Std value must be positive");
        }

        if (!(PixelScale > 0) || !float.IsFinite(PixelScale))
        {
            errors.Add("PixelScale must be a positive number");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid image embedding options: " + string.Join("; ", errors) + ".", "options");
        }
    }
}
