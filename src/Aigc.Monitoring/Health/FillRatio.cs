using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aigc.Monitoring;

/// <summary>Maps a queue's fill ratio to a health status.</summary>
internal static class FillRatio
{
    public static double Of(int depth, int capacity) => capacity <= 0 ? 0 : (double)depth / capacity;

    public static HealthStatus Status(double ratio, double degraded, double unhealthy, HealthStatus failure) =>
        ratio >= unhealthy ? failure : ratio >= degraded ? HealthStatus.Degraded : HealthStatus.Healthy;
}
