using Microsoft.Extensions.Logging;

namespace Aigc.Monitoring;

/// <summary>The log messages of online evaluation.</summary>
internal static partial class OnlineEvaluationLog
{
    [LoggerMessage(EventId = 4201, EventName = "EvaluatorThrew", Level = LogLevel.Error,
        Message = "Online evaluator {Evaluator} threw while scoring a response of model {Model}; the response's other evaluators still run")]
    public static partial void EvaluatorThrew(ILogger logger, string evaluator, string model, Exception exception);

    [LoggerMessage(EventId = 4202, EventName = "EvaluationFailed", Level = LogLevel.Debug,
        Message = "Online evaluator {Evaluator} could not score a response of model {Model}: {Error}")]
    public static partial void EvaluationFailed(ILogger logger, string evaluator, string model, string? error);

    [LoggerMessage(EventId = 4203, EventName = "DroppedAtShutdown", Level = LogLevel.Warning,
        Message = "Online evaluation stopped before the queue was drained: {Count} sampled responses were not evaluated")]
    public static partial void DroppedAtShutdown(ILogger logger, int count);

    [LoggerMessage(EventId = 4204, EventName = "RecordingFailed", Level = LogLevel.Error,
        Message = "Recording the online evaluation of evaluator {Evaluator} failed")]
    public static partial void RecordingFailed(ILogger logger, string evaluator, Exception exception);

    [LoggerMessage(EventId = 4205, EventName = "NoEvaluators", Level = LogLevel.Information,
        Message = "Online evaluation has no IEvaluator registered: sampled responses are counted but not scored")]
    public static partial void NoEvaluators(ILogger logger);
}
