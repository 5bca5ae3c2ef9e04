namespace Aigc.Monitoring;

/// <summary>Where a live response came from: the request that decides its sampling, and the model that answered.</summary>
/// <param name="RequestId">The request's id; the sampling decision is a hash of it, so the same id is always sampled the same way. It never becomes a metric tag.</param>
/// <param name="ModelName">The name of the model that answered (a metric tag).</param>
/// <param name="ModelVersion">The model's version, or <see langword="null"/> when unknown (a metric tag).</param>
public readonly record struct OnlineEvaluationContext(string RequestId, string ModelName, string? ModelVersion = null);
