using System.Diagnostics.Metrics;

namespace Aigc.Monitoring;

/// <summary>The <c>Aigc.Monitoring</c> meter's drift instruments (names kept in one place: they may change).</summary>
public static class DriftTelemetry
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Aigc.Monitoring";

    /// <summary>Drift alerts raised (counter, <c>{alert}</c>), tagged <c>aigc.drift.signal</c> and <c>aigc.drift.test</c> (<c>psi</c>, <c>ks</c> or <c>psi+ks</c>).</summary>
    public const string Alerts = "aigc.monitoring.drift.alerts";

    /// <summary>The latest PSI of each signal (gauge), tagged <c>aigc.drift.signal</c>.</summary>
    public const string Psi = "aigc.monitoring.drift.psi";

    /// <summary>The latest Kolmogorov–Smirnov statistic D of each signal (gauge), tagged <c>aigc.drift.signal</c>.</summary>
    public const string KsStatistic = "aigc.monitoring.drift.ks_statistic";

    /// <summary>The tag naming the signal.</summary>
    public const string SignalTag = "aigc.drift.signal";

    /// <summary>The tag naming the test that fired.</summary>
    public const string TestTag = "aigc.drift.test";

    internal static Meter CreateMeter(IMeterFactory? factory) =>
        factory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
}
