namespace Aigc.Inference;

/// <summary>One text-to-image or image-to-image request to a <see cref="DiffusionPipeline"/>.</summary>
public sealed class DiffusionRequest
{
    /// <summary>Gets or sets the prompt.</summary>
    /// <value>The default value is empty.</value>
    public string Prompt { get; set; } = string.Empty;

    /// <summary>Gets or sets what the image should not show; it replaces the empty prompt of the unconditional branch. Ignored without guidance.</summary>
    /// <value>The default value is <see langword="null"/> (the empty prompt).</value>
    public string? NegativePrompt { get; set; }

    /// <summary>
    /// Gets or sets the classifier-free guidance scale g: the model's output is u + g·(c − u) for the unconditional
    /// output u and the prompt's c. At g ≤ 1 there is no unconditional branch (the UNet runs one row an image, not two).
    /// </summary>
    /// <value>The default value is <c>7.5</c>.</value>
    public float GuidanceScale { get; set; } = 7.5f;

    /// <summary>Gets or sets the number of denoising steps.</summary>
    /// <value>The default value is <c>25</c>.</value>
    public int Steps { get; set; } = 25;

    /// <summary>Gets or sets the image width in pixels, a multiple of 8; with an init image, <see langword="null"/> takes its width (rounded down to a multiple of 8).</summary>
    /// <value>The default value is <see langword="null"/>, which means 512 without an init image.</value>
    public int? Width { get; set; }

    /// <summary>Gets or sets the image height in pixels, a multiple of 8; with an init image, <see langword="null"/> takes its height (rounded down to a multiple of 8).</summary>
    /// <value>The default value is <see langword="null"/>, which means 512 without an init image.</value>
    public int? Height { get; set; }

    /// <summary>Gets or sets how many images to make from the prompt.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public int ImageCount { get; set; } = 1;

    /// <summary>
    /// Gets or sets the seed: image i of the request draws all its noise from a generator seeded with <c>Seed + i</c>,
    /// so a seed gives the same image whatever else runs in the batch. <see langword="null"/> picks one at random
    /// (the result tells which).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the scheduler, or <see langword="null"/> for the pipeline's.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DiffusionSchedulerKind? Scheduler { get; set; }

    /// <summary>Gets or sets the encoded image (PNG, JPEG, WebP …) to start from, for image-to-image; the model needs a <c>vae_encoder</c>.</summary>
    /// <value>The default value is <see langword="null"/> (text-to-image).</value>
    public ReadOnlyMemory<byte>? InitImage { get; set; }

    /// <summary>
    /// Gets or sets how far image-to-image departs from the init image, in (0, 1]: the denoising starts at step
    /// <c>Steps − ⌊Steps · Strength⌋</c> (diffusers' convention), so 1 ignores the image's content.
    /// </summary>
    /// <value>The default value is <c>0.8</c>.</value>
    public float Strength { get; set; } = 0.8f;
}
