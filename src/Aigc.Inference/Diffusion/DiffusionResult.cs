namespace Aigc.Inference;

/// <summary>The images a <see cref="DiffusionPipeline"/> made for one request, and what it took.</summary>
public sealed class DiffusionResult
{
    internal DiffusionResult(IReadOnlyList<GeneratedImage> images, int steps, TimeSpan queueTime, TimeSpan duration)
    {
        Images = images;
        Steps = steps;
        QueueTime = queueTime;
        Duration = duration;
    }

    /// <summary>Gets the images, in request order.</summary>
    public IReadOnlyList<GeneratedImage> Images { get; }

    /// <summary>Gets the number of denoising steps run (fewer than requested for image-to-image).</summary>
    public int Steps { get; }

    /// <summary>Gets the time from the request's arrival to its first denoising step (text encoding included).</summary>
    public TimeSpan QueueTime { get; }

    /// <summary>Gets the time from the request's arrival to its last image.</summary>
    public TimeSpan Duration { get; }
}
