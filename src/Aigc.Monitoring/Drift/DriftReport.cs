namespace Aigc.Monitoring;

/// <summary>The comparison of one signal's current window with its baseline.</summary>
/// <param name="Signal">The signal, for example <c>prompt_length</c> or <c>quality.judge_score</c>.</param>
/// <param name="Psi">The population stability index.</param>
/// <param name="Ks">The two-sample Kolmogorov–Smirnov test.</param>
/// <param name="BaselineCount">The number of baseline values.</param>
/// <param name="CurrentCount">The number of current values.</param>
/// <param name="PsiExceeded">Whether PSI exceeded its threshold.</param>
/// <param name="KsRejected">Whether the KS p-value fell below its threshold.</param>
/// <param name="CheckedAt">When the comparison was made.</param>
public sealed record DriftReport(
    string Signal,
    PsiResult Psi,
    KsResult Ks,
    int BaselineCount,
    int CurrentCount,
    bool PsiExceeded,
    bool KsRejected,
    DateTimeOffset CheckedAt)
{
    /// <summary>Gets whether the signal drifted: PSI exceeded its threshold or KS rejected equal distributions.</summary>
    public bool IsDrift => PsiExceeded || KsRejected;
}
