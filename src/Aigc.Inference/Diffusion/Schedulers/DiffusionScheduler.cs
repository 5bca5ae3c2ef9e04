namespace Aigc.Inference;

/// <summary>
/// One image's denoising schedule and solver state, following a diffusers scheduler: the timesteps the UNet sees,
/// the scale of its input, and the update from one step's model output to the next sample. Multistep solvers keep
/// history, so every image gets its own instance.
/// </summary>
internal abstract class DiffusionScheduler
{
    protected DiffusionScheduler(SchedulerConfig config, int steps)
    {
        if (steps < 1 || steps > config.NumTrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"The number of inference steps must be between 1 and num_train_timesteps ({config.NumTrainTimesteps}).");
        }

        Config = config;
        AlphasCumprod = config.AlphasCumprod;
    }

    public SchedulerConfig Config { get; }

    /// <summary>Gets the timesteps the model sees, one per step, largest first.</summary>
    public double[] Timesteps { get; protected init; } = [];

    /// <summary>Gets the standard deviation of the initial noise (diffusers <c>init_noise_sigma</c>).</summary>
    public abstract double InitNoiseSigma { get; }

    protected double[] AlphasCumprod { get; }

    /// <summary>Creates the scheduler of a kind for <paramref name="steps"/> inference steps.</summary>
    public static DiffusionScheduler Create(DiffusionSchedulerKind kind, SchedulerConfig config, int steps) => kind switch
    {
        DiffusionSchedulerKind.Ddim => new DdimScheduler(config, steps),
        DiffusionSchedulerKind.EulerDiscrete => new EulerDiscreteScheduler(config, steps, ancestral: false),
        DiffusionSchedulerKind.EulerAncestralDiscrete => new EulerDiscreteScheduler(config, steps, ancestral: true),
        DiffusionSchedulerKind.DpmSolverMultistep => new DpmSolverMultistepScheduler(config, steps),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scheduler."),
    };

    /// <summary>Maps a diffusers class name to a kind, or <see langword="null"/> when it is none of the four.</summary>
    public static DiffusionSchedulerKind? FromClassName(string? className) => className switch
    {
        "DDIMScheduler" => DiffusionSchedulerKind.Ddim,
        "EulerDiscreteScheduler" => DiffusionSchedulerKind.EulerDiscrete,
        "EulerAncestralDiscreteScheduler" => DiffusionSchedulerKind.EulerAncestralDiscrete,
        "DPMSolverMultistepScheduler" => DiffusionSchedulerKind.DpmSolverMultistep,
        _ => null,
    };

    /// <summary>Gets the factor the sample is multiplied by before it goes into the model at a step (diffusers <c>scale_model_input</c>).</summary>
    public virtual double InputScale(int step) => 1.0;

    /// <summary>Updates <paramref name="sample"/> in place from the model's output at step <paramref name="step"/> (diffusers <c>step</c>).</summary>
    public abstract void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> sample, GaussianNoise noise);

    /// <summary>Noises a clean sample in place to the level of step <paramref name="step"/> (diffusers <c>add_noise</c>, for image-to-image).</summary>
    public abstract void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int step);
}
