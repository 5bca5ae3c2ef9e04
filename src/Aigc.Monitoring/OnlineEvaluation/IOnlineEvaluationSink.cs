namespace Aigc.Monitoring;

/// <summary>
/// Takes live responses for online evaluation: a deterministic sample of them (rate
/// <see cref="MonitoringOptions.EvaluationSampleRate"/>) is queued and scored by the registered
/// <see cref="IEvaluator"/>s on a background service, off the caller's path.
/// </summary>
/// <remarks>
/// Both members return at once and never block. When the queue (capacity
/// <see cref="MonitoringOptions.EvaluationQueueCapacity"/>) is full the response is dropped and counted on
/// <see cref="OnlineEvaluationTelemetry.Dropped"/>. All members are thread-safe.
/// </remarks>
public interface IOnlineEvaluationSink
{
    /// <summary>Gets whether the response to a request is in the sample: call it first to skip building an <see cref="EvaluationInput"/> that would not be used.</summary>
    /// <param name="requestId">The request's id.</param>
    /// <returns><see langword="true"/> when the request is sampled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requestId"/> is <see langword="null"/>.</exception>
    bool ShouldSample(string requestId);

    /// <summary>Queues a live response for evaluation when its request is sampled and the queue has room.</summary>
    /// <param name="input">The prompt, the response and an optional reference.</param>
    /// <param name="context">The request id and the model that answered.</param>
    /// <returns><see langword="true"/> when the response was queued; <see langword="false"/> when it was not sampled, or dropped because the queue was full or evaluation has stopped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/>, the request id or the model name is <see langword="null"/>.</exception>
    bool TryEnqueue(EvaluationInput input, OnlineEvaluationContext context);
}
