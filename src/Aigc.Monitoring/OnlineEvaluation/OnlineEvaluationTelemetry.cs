namespace Aigc.Monitoring;

/// <summary>The <c>Aigc.Monitoring</c> meter's online-evaluation instruments and tags (names kept in one place: they may change).</summary>
public static class OnlineEvaluationTelemetry
{
    /// <summary>Histogram (unit 1): every score an evaluator gave, tagged <see cref="ModelNameTag"/>, <see cref="ModelVersionTag"/>, <see cref="EvaluatorTag"/> and <see cref="MetricTag"/>.</summary>
    public const string Score = "aigc.monitoring.evaluation.score";

    /// <summary>Counter (<c>{response}</c>): sampled responses not evaluated, tagged <see cref="ModelNameTag"/>, <see cref="ModelVersionTag"/> and <see cref="DropReasonTag"/>.</summary>
    public const string Dropped = "aigc.monitoring.evaluation.dropped";

    /// <summary>Counter (<c>{evaluation}</c>): evaluations that threw, tagged <see cref="ModelNameTag"/>, <see cref="ModelVersionTag"/>, <see cref="EvaluatorTag"/> and <see cref="ErrorTypeTag"/>.</summary>
    public const string Errors = "aigc.monitoring.evaluation.errors";

    /// <summary>Counter (<c>{evaluation}</c>): evaluations that returned a failed <see cref="EvaluationResult"/>, tagged <see cref="ModelNameTag"/>, <see cref="ModelVersionTag"/> and <see cref="EvaluatorTag"/>.</summary>
    public const string Failures = "aigc.monitoring.evaluation.failures";

    /// <summary>Gauge (<c>{response}</c>): responses waiting in the evaluation queue.</summary>
    public const string QueueSize = "aigc.monitoring.evaluation.queue.size";

    /// <summary>The tag naming the model that answered.</summary>
    public const string ModelNameTag = "gen_ai.response.model";

    /// <summary>The tag carrying the model's version (empty when unknown).</summary>
    public const string ModelVersionTag = "aigc.model.version";

    /// <summary>The tag naming the evaluator.</summary>
    public const string EvaluatorTag = "aigc.evaluation.evaluator";

    /// <summary>The tag naming the score.</summary>
    public const string MetricTag = "aigc.evaluation.metric";

    /// <summary>The tag saying why a response was dropped: <see cref="QueueFullReason"/> or <see cref="StoppedReason"/>.</summary>
    public const string DropReasonTag = "aigc.evaluation.drop_reason";

    /// <summary>The tag carrying the full name of the exception an evaluator threw.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>The drop reason when the queue was full.</summary>
    public const string QueueFullReason = "queue_full";

    /// <summary>The drop reason when evaluation had stopped (the host is shutting down).</summary>
    public const string StoppedReason = "stopped";
}
