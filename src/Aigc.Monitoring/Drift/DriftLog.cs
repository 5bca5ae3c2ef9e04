using Microsoft.Extensions.Logging;

namespace Aigc.Monitoring;

/// <summary>The log messages of <see cref="DriftMonitor"/>.</summary>
internal static partial class DriftLog
{
    [LoggerMessage(EventId = 4101, EventName = "DriftDetected", Level = LogLevel.Warning,
        Message = "Drift detected on signal {Signal}: PSI {Psi:F3} (threshold {PsiThreshold}), KS D {KsStatistic:F3} p {KsPValue:G3} (threshold {KsPValueThreshold}); baseline n={BaselineCount}, current n={CurrentCount}")]
    public static partial void DriftDetected(ILogger logger, string signal, double psi, double psiThreshold, double ksStatistic, double ksPValue, double ksPValueThreshold, int baselineCount, int currentCount);

    [LoggerMessage(EventId = 4102, EventName = "DriftRecovered", Level = LogLevel.Information,
        Message = "Signal {Signal} is back within the drift thresholds: PSI {Psi:F3}, KS p {KsPValue:G3}")]
    public static partial void DriftRecovered(ILogger logger, string signal, double psi, double ksPValue);

    [LoggerMessage(EventId = 4103, EventName = "BaselineSet", Level = LogLevel.Information,
        Message = "Drift baseline of signal {Signal} set from {Count} values")]
    public static partial void BaselineSet(ILogger logger, string signal, int count);
}
