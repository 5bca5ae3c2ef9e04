using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>The log messages of model sessions.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "CUDA is not available for model '{Model}', so it runs on the CPU. To use the GPU, reference Microsoft.ML.OnnxRuntime.Gpu and install CUDA; to silence this warning, choose ExecutionProvider Cpu.")]
    public static partial void CudaUnavailable(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Loaded model '{Model}' on {Provider} in {ElapsedMs:F0} ms (warm-up {WarmUpMs:F0} ms).")]
    public static partial void Loaded(ILogger logger, string model, ExecutionProvider provider, double elapsedMs, double warmUpMs);
}
