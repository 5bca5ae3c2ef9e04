namespace Aigc.Monitoring;

/// <summary>The two-sample Kolmogorov–Smirnov test of a current sample against a baseline.</summary>
/// <param name="Statistic">D = supₓ |F_baseline(x) − F_current(x)|, the largest distance between the empirical distribution functions, in [0, 1].</param>
/// <param name="PValue">The asymptotic two-sided p-value: the probability of a D at least this large when both samples come from one continuous distribution.</param>
public readonly record struct KsResult(double Statistic, double PValue);
