using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>Settings of the Aigc.Monitoring package, bound from the configuration section <c>Aigc:Monitoring</c>.</summary>
public sealed class MonitoringOptions
{
    /// <summary>The name of the sub-section of <c>Aigc</c> these options are bound from.</summary>
    public const string SectionName = "Monitoring";

    /// <summary>Gets or sets the share of live responses that go through the online evaluators.</summary>
    /// <value>The default value is <c>0.05</c> (5 %).</value>
    [Range(0.0, 1.0)]
    public double EvaluationSampleRate { get; set; } = 0.05;

    /// <summary>Gets or sets how many sampled responses may wait for evaluation; more are dropped and counted.</summary>
    /// <value>The default value is <c>1024</c>.</value>
    [Range(1, 1_000_000)]
    public int EvaluationQueueCapacity { get; set; } = 1024;
}
