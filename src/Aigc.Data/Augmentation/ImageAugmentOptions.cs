namespace Aigc.Data;

/// <summary>
/// Settings of an <see cref="ImageAugmentStep"/>. The transforms follow torchvision: <c>RandomResizedCrop</c>,
/// <c>RandomHorizontalFlip</c>, <c>RandomRotation</c> and <c>ColorJitter</c>, with the same defaults where torchvision has them.
/// </summary>
public sealed class ImageAugmentOptions
{
    /// <summary>Gets or sets the folder the augmented PNG images are written to (created when missing). Required.</summary>
    /// <value>The default value is empty (must be set).</value>
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Gets or sets the folder relative image paths are resolved against, or <see langword="null"/> for the current folder.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ImageRoot { get; set; }

    /// <summary>Gets or sets how many augmented copies each image gets.</summary>
    /// <value>The default value is <c>2</c>.</value>
    public int CopiesPerRecord { get; set; } = 2;

    /// <summary>Gets or sets the output width in pixels, or <see langword="null"/> for the source image's (set with <see cref="OutputHeight"/>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? OutputWidth { get; set; }

    /// <summary>Gets or sets the output height in pixels, or <see langword="null"/> for the source image's (set with <see cref="OutputWidth"/>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? OutputHeight { get; set; }

    /// <summary>Gets or sets whether a random resized crop is taken; otherwise the whole image is resized to the output size.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RandomResizedCrop { get; set; } = true;

    /// <summary>Gets or sets the smallest crop area, as a share of the image area.</summary>
    /// <value>The default value is <c>0.08</c>.</value>
    public double CropScaleMin { get; set; } = 0.08;

    /// <summary>Gets or sets the largest crop area, as a share of the image area.</summary>
    /// <value>The default value is <c>1.0</c>.</value>
    public double CropScaleMax { get; set; } = 1.0;

    /// <summary>Gets or sets the smallest crop aspect ratio (width / height), sampled log-uniformly.</summary>
    /// <value>The default value is <c>0.75</c> (3/4).</value>
    public double CropRatioMin { get; set; } = 3.0 / 4.0;

    /// <summary>Gets or sets the largest crop aspect ratio (width / height), sampled log-uniformly.</summary>
    /// <value>The default value is <c>1.3333333333333333</c> (4/3).</value>
    public double CropRatioMax { get; set; } = 4.0 / 3.0;

    /// <summary>Gets or sets the probability that a copy is mirrored left to right.</summary>
    /// <value>The default value is <c>0.5</c>.</value>
    public double HorizontalFlipProbability { get; set; } = 0.5;

    /// <summary>Gets or sets the brightness jitter b: the factor is uniform in [max(0, 1 − b), 1 + b]; 0 turns it off.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public double Brightness { get; set; }

    /// <summary>Gets or sets the contrast jitter c: the factor is uniform in [max(0, 1 − c), 1 + c]; 0 turns it off.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public double Contrast { get; set; }

    /// <summary>Gets or sets the saturation jitter s: the factor is uniform in [max(0, 1 − s), 1 + s]; 0 turns it off.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public double Saturation { get; set; }

    /// <summary>Gets or sets the largest rotation in degrees: the angle is uniform in [−d, d], counter-clockwise; 0 turns it off.</summary>
    /// <value>The default value is <c>0</c>.</value>
    public double RotationDegrees { get; set; }

    /// <summary>Gets or sets the step's own seed, or <see langword="null"/> to use the pipeline's seed.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets how many images are processed at once (the output does not depend on it).</summary>
    /// <value>The default value is <c>1</c>.</value>
    public int MaxDegreeOfParallelism { get; set; } = 1;
}
