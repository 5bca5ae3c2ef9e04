namespace Aigc.Inference;

/// <summary>
/// The names of the diffusion pipeline's metrics, on the <c>Aigc.Inference</c> meter
/// (<see cref="GenerationMetricNames.MeterName"/>); each carries <see cref="GenerationMetricNames.Provider"/> and
/// <see cref="GenerationMetricNames.ResponseModel"/>. Images per second is the rate of <see cref="Images"/>.
/// </summary>
public static class DiffusionMetricNames
{
    /// <summary>Histogram (s): the time of one denoising step, one UNet call shared by every request in it.</summary>
    public const string StepDuration = "aigc.inference.diffusion.step.duration";

    /// <summary>Histogram ({row}): the UNet rows of one call (two an image under guidance).</summary>
    public const string BatchRows = "aigc.inference.diffusion.step.rows";

    /// <summary>Histogram (s): time from a request's arrival to its first denoising step (text encoding included).</summary>
    public const string QueueDuration = "aigc.inference.diffusion.queue.duration";

    /// <summary>Histogram (s): time from a request's arrival to its images, carrying <see cref="GenerationMetricNames.ErrorType"/> when it failed.</summary>
    public const string RequestDuration = "aigc.inference.diffusion.request.duration";

    /// <summary>Counter ({image}): images made; its rate is the images per second.</summary>
    public const string Images = "aigc.inference.diffusion.images";

    /// <summary>Gauge ({request}): requests denoising now.</summary>
    public const string RunningRequests = "aigc.inference.diffusion.running_requests";

    /// <summary>Gauge ({request}): requests waiting for room in the batch.</summary>
    public const string WaitingRequests = "aigc.inference.diffusion.waiting_requests";
}
