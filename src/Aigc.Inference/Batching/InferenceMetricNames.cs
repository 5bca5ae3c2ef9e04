namespace Aigc.Inference;

/// <summary>The names of the Aigc.Inference meter, its instruments and tags, kept in one place.</summary>
internal static class InferenceMetricNames
{
    public const string MeterName = "Aigc.Inference";

    /// <summary>Counter of finished requests, tagged by model and outcome.</summary>
    public const string Requests = "aigc.inference.requests";

    /// <summary>Histogram of the time from arrival to the start of the request's batch, in seconds.</summary>
    public const string QueueDuration = "aigc.inference.queue.duration";

    /// <summary>Histogram of the time one model execution takes (copy in, run, copy out), in seconds.</summary>
    public const string ComputeDuration = "aigc.inference.compute.duration";

    /// <summary>Histogram of the time from arrival to completion of a request, in seconds.</summary>
    public const string RequestDuration = "aigc.inference.request.duration";

    /// <summary>Histogram of the rows per model execution.</summary>
    public const string BatchSize = "aigc.inference.batch.size";

    /// <summary>Up-down counter of requests waiting in the queue.</summary>
    public const string PendingRequests = "aigc.inference.pending_requests";

    /// <summary>Counter of inferences: rows run (Triton's inference count).</summary>
    public const string InferenceCount = "aigc.inference.inference.count";

    /// <summary>Counter of model executions (Triton's execution count); inference count / execution count is the mean batch size.</summary>
    public const string ExecutionCount = "aigc.inference.execution.count";

    /// <summary>Counter of requests a router sent to a version, tagged by model, version and route.</summary>
    public const string RoutedRequests = "aigc.inference.router.requests";

    /// <summary>Counter of version switches a router made, tagged by model and route.</summary>
    public const string RouterSwitches = "aigc.inference.router.switches";

    /// <summary>Counter of versions a router failed to load, tagged by model, version and route.</summary>
    public const string RouterLoadFailures = "aigc.inference.router.load_failures";

    /// <summary>Histogram of the time a router took to fetch, verify, load and warm up a version, in seconds.</summary>
    public const string RouterLoadDuration = "aigc.inference.router.load.duration";

    /// <summary>Up-down counter of versions a router holds in memory (routed to, or draining).</summary>
    public const string RouterLoadedVersions = "aigc.inference.router.loaded_versions";

    /// <summary>Counter of mirrored (shadow) requests, tagged by model, version and outcome (success, error, dropped).</summary>
    public const string ShadowRequests = "aigc.inference.router.shadow.requests";

    /// <summary>Histogram of mirrored (shadow) requests' duration, in seconds, tagged by model and version.</summary>
    public const string ShadowDuration = "aigc.inference.router.shadow.duration";

    public const string ModelTag = "aigc.model.name";

    public const string VersionTag = "aigc.model.version";

    public const string RouteTag = "aigc.inference.route";

    public const string Dropped = "dropped";

    public const string OutcomeTag = "aigc.inference.outcome";

    public const string Success = "success";

    public const string Rejected = "rejected";

    public const string Timeout = "timeout";

    public const string Canceled = "canceled";

    public const string Error = "error";
}
