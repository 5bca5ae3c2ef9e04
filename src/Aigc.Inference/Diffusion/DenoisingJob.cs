namespace Aigc.Inference;

/// <summary>
/// One request's denoising state inside the <see cref="DenoisingLoop"/>: its images' latents, schedulers and noise
/// generators, its text states (prompt, and the negative prompt's under guidance) and its place in the schedule.
/// </summary>
internal sealed class DenoisingJob
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelled;

    public DenoisingJob(
        float[][] latents,
        DiffusionScheduler[] schedulers,
        GaussianNoise[] noise,
        float[] conditional,
        float[]? unconditional,
        int hiddenSize,
        float guidanceScale,
        int latentHeight,
        int latentWidth,
        int startStep,
        IProgress<DiffusionProgress>? progress,
        long enqueuedAt)
    {
        Latents = latents;
        Schedulers = schedulers;
        Noise = noise;
        Conditional = conditional;
        Unconditional = unconditional;
        HiddenSize = hiddenSize;
        GuidanceScale = guidanceScale;
        LatentHeight = latentHeight;
        LatentWidth = latentWidth;
        Step = startStep;
        StartStep = startStep;
        Progress = progress;
        EnqueuedAt = enqueuedAt;
    }

    public float[][] Latents { get; }

    public DiffusionScheduler[] Schedulers { get; }

    public GaussianNoise[] Noise { get; }

    /// <summary>Gets the prompt's text states <c>[length, hidden]</c>.</summary>
    public float[] Conditional { get; }

    /// <summary>Gets the negative (or empty) prompt's text states, or <see langword="null"/> without guidance.</summary>
    public float[]? Unconditional { get; }

    public int HiddenSize { get; }

    public float GuidanceScale { get; }

    public int LatentHeight { get; }

    public int LatentWidth { get; }

    /// <summary>Gets or sets the index of the next step to run.</summary>
    public int Step { get; set; }

    public int StartStep { get; }

    public int EndStep => Schedulers[0].Timesteps.Length;

    public IProgress<DiffusionProgress>? Progress { get; }

    public long EnqueuedAt { get; }

    /// <summary>Gets or sets when the first step started (0 before).</summary>
    public long StartedAt { get; set; }

    /// <summary>Gets the UNet rows one step takes: two an image under guidance (unconditional and conditional), else one.</summary>
    public int Rows => Latents.Length * (Unconditional is null ? 1 : 2);

    /// <summary>Gets the timestep of the next step.</summary>
    public double Timestep => Schedulers[0].Timesteps[Step];

    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0;

    public Task Completion => _completion.Task;

    /// <summary>Marks the job cancelled; the loop drops it before its next step.</summary>
    public void Cancel() => Interlocked.Exchange(ref _cancelled, 1);

    public void Complete() => _completion.TrySetResult();

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public void Abort(CancellationToken token) => _completion.TrySetCanceled(token);
}
