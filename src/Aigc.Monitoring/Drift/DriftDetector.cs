namespace Aigc.Monitoring;

/// <summary>Compares two samples of one signal with PSI and the Kolmogorov–Smirnov test (stateless; see <see cref="DriftMonitor"/> for windows).</summary>
public static class DriftDetector
{
    /// <summary>Compares a current sample with a baseline.</summary>
    /// <param name="signal">The signal's name, copied into the report.</param>
    /// <param name="baseline">The baseline sample.</param>
    /// <param name="current">The current sample.</param>
    /// <param name="options">The thresholds and binning, or <see langword="null"/> for the defaults.</param>
    /// <param name="checkedAt">The time to put in the report, or <see langword="null"/> for now (UTC).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><paramref name="signal"/> is empty, or a sample is empty or contains NaN.</exception>
    public static DriftReport Compare(string signal, ReadOnlySpan<double> baseline, ReadOnlySpan<double> current, DriftOptions? options = null, DateTimeOffset? checkedAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        options ??= new DriftOptions();
        var psi = PopulationStabilityIndex.Compute(baseline, current, options.Bins, options.Epsilon);
        var ks = KolmogorovSmirnov.TwoSample(baseline, current);
        return new DriftReport(
            signal,
            psi,
            ks,
            baseline.Length,
            current.Length,
            options.PsiThreshold > 0 && psi.Value > options.PsiThreshold,
            options.KsPValueThreshold > 0 && ks.PValue < options.KsPValueThreshold,
            checkedAt ?? DateTimeOffset.UtcNow);
    }
}
