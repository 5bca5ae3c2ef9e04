using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>
/// Text-to-image and image-to-image generation with a Stable Diffusion model in the Hugging Face Optimum ONNX layout,
/// with classifier-free guidance, the diffusers schedulers (<see cref="DiffusionSchedulerKind"/>) and batching across
/// requests: concurrent requests share UNet calls step by step.
/// </summary>
/// <remarks>
/// <para>
/// <b>A request's life.</b> Its prompt (and, under guidance, its negative prompt) is tokenized and encoded, and its
/// initial latents drawn, on the calling thread; it then joins the denoising loop, which runs one UNet call per step for
/// every running request of the same latent size (each row with its own timestep and text states, two rows an image
/// under guidance); when its last step is done it leaves at once and its latents are decoded by the VAE and encoded
/// as PNG on the thread pool.
/// </para>
/// <para>
/// <b>Determinism.</b> Image i of a request draws every random number it needs (initial noise, ancestral noise, VAE
/// sampling) from its own generator seeded with <c>Seed + i</c>, so a seed gives the same image whatever else is
/// batched with it, up to floating-point differences between batch shapes in ONNX Runtime's kernels.
/// </para>
/// </remarks>
public sealed class DiffusionPipeline : IDisposable, IAsyncDisposable
{
    private readonly DiffusionModel _model;
    private readonly DiffusionMetrics _metrics;
    private readonly DenoisingLoop _loop;
    private readonly TimeProvider _time;
    private readonly int _maxRows;
    private int _disposed;

    /// <summary>Loads the model folder and starts the denoising loop.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter, or <see langword="null"/> for a meter of the pipeline's own.</param>
    /// <param name="timeProvider">The clock of the metrics, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Receives the sessions' load messages, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message lists each one.</exception>
    /// <exception cref="DirectoryNotFoundException">The model folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required file of the layout is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">The scheduler, tokenizer or VAE configuration is invalid or asks for an unsupported setting.</exception>
    /// <exception cref="ModelLoadException">A model lacks an input or output of the Optimum export, or could not be loaded.</exception>
    public DiffusionPipeline(DiffusionPipelineOptions options, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
        _maxRows = options.MaxBatchSize;
        ModelPath = options.ModelPath;
        _model = DiffusionModel.Load(options, logger);
        DenoisingLoop? loop = null;
        _metrics = new DiffusionMetrics(meterFactory, _model.Name, () => loop?.Running ?? 0, () => loop?.Waiting ?? 0);
        _loop = loop = new DenoisingLoop(_model, _metrics, _time, _maxRows);
    }

    /// <summary>Gets the model's name.</summary>
    public string ModelName => _model.Name;

    /// <summary>Gets the folder the model was loaded from.</summary>
    public string ModelPath { get; }

    /// <summary>Gets whether the model has a VAE encoder, so requests may give an <see cref="DiffusionRequest.InitImage"/>.</summary>
    public bool SupportsImageToImage => _model.HasEncoder;

    /// <summary>Gets the scheduler requests use unless they name one.</summary>
    public DiffusionSchedulerKind DefaultScheduler => _model.DefaultScheduler;

    /// <summary>Gets the number of requests denoising now.</summary>
    public int RunningRequests => _loop.Running;

    /// <summary>Gets the number of requests waiting for room in the batch.</summary>
    public int WaitingRequests => _loop.Waiting;

    /// <summary>Gets the UNet rows run so far.</summary>
    internal long UnetRows => _loop.UnetRows;

    /// <summary>Gets the UNet calls made so far.</summary>
    internal long UnetCalls => _loop.UnetCalls;

    /// <summary>Gets or sets whether the unconditional branch runs even at guidance scale ≤ 1 (tests compare both paths).</summary>
    internal bool AlwaysGuide { get; set; }

    /// <summary>Holds the denoising loop before its next admission, so tests can line requests up.</summary>
    internal void PauseDenoising() => _loop.Pause();

    /// <summary>Lets the denoising loop go on.</summary>
    internal void ResumeDenoising() => _loop.Resume();

    /// <summary>Generates the images of a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="progress">Receives the progress after each denoising step (from the denoising thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request; it leaves the batch before the next step.</param>
    /// <returns>The images with their seeds and timings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or its prompt is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A size is not a positive multiple of 8, or the steps, image count, guidance or strength are out of range.</exception>
    /// <exception cref="NotSupportedException">The request gives an init image but the model has no VAE encoder.</exception>
    /// <exception cref="InvalidDataException">The init image could not be decoded.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The pipeline has been disposed.</exception>
    public async Task<DiffusionResult> GenerateAsync(DiffusionRequest request, IProgress<DiffusionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = ImageRequestPlan.Create(request, _model, _maxRows, AlwaysGuide);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var arrived = _time.GetTimestamp();
        try
        {
            // Text encoding and the initial latents are short: they run on the caller's thread, and decoding runs
            // where the job's completion resumes (a pool thread), so a request costs no extra thread hops.
            var job = plan.Prepare(_model, progress, arrived, cancellationToken);
            _loop.Enqueue(job);
            using (cancellationToken.Register(static state =>
            {
                var (job, loop) = ((DenoisingJob, DenoisingLoop))state!;
                job.Cancel();
                loop.Wake();
            }, (job, _loop)))
            {
                try
                {
                    await job.Completion.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw;
                }
            }

            var images = plan.Decode(_model, job, cancellationToken);
            var now = _time.GetTimestamp();
            var duration = _time.GetElapsedTime(arrived, now);
            _metrics.RequestEnded(duration, images.Count, null);
            return new DiffusionResult(images, job.EndStep - job.StartStep, _time.GetElapsedTime(arrived, job.StartedAt), duration);
        }
        catch (Exception exception)
        {
            _metrics.RequestEnded(_time.GetElapsedTime(arrived), 0, exception is OperationCanceledException ? "cancelled" : exception.GetType().FullName);
            throw;
        }
    }

    /// <summary>Stops the denoising loop (requests still running fail with <see cref="ObjectDisposedException"/>) and releases the sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _loop.Dispose();
        _metrics.Dispose();
        _model.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
