using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>The thresholds of the Aigc health checks (fill ratios are queue depth divided by capacity).</summary>
public sealed class AigcHealthCheckOptions
{
    /// <summary>Gets or sets the evaluation-queue fill ratio from which the backlog check reports Degraded.</summary>
    /// <value>The default value is <c>0.5</c>.</value>
    [Range(0.0, 1.0)]
    public double EvaluationBacklogDegradedRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the evaluation-queue fill ratio from which the backlog check reports Unhealthy (responses are being dropped).</summary>
    /// <value>The default value is <c>0.9</c>.</value>
    [Range(0.0, 1.0)]
    public double EvaluationBacklogUnhealthyRatio { get; set; } = 0.9;

    /// <summary>Gets or sets the request-queue fill ratio from which the model check reports Degraded.</summary>
    /// <value>The default value is <c>0.8</c>.</value>
    [Range(0.0, 1.0)]
    public double QueueSaturationDegradedRatio { get; set; } = 0.8;

    /// <summary>Gets or sets the request-queue fill ratio from which the model check reports Unhealthy.</summary>
    /// <value>The default value is <c>1.0</c> (the queue is full: new requests are refused).</value>
    [Range(0.0, 1.0)]
    public double QueueSaturationUnhealthyRatio { get; set; } = 1.0;
}
