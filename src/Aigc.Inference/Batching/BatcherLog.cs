using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>The log messages of the batcher.</summary>
internal static partial class BatcherLog
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Serving model '{Model}': max batch {MaxBatchSize} rows, max queue delay {DelayMs} ms, {Executors} executor(s).")]
    public static partial void Started(ILogger logger, string model, int maxBatchSize, double delayMs, int executors);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Model '{Model}' is shutting down: finishing queued and running requests, taking no new ones.")]
    public static partial void Stopping(ILogger logger, string model);

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical, Message = "An executor of model '{Model}' failed; the model no longer serves requests.")]
    public static partial void ExecutorFailed(ILogger logger, string model, Exception exception);
}
