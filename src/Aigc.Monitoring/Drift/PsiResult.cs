namespace Aigc.Monitoring;

/// <summary>The population stability index of a current sample against a baseline, with its bins.</summary>
/// <param name="Value">PSI = Σᵢ (cᵢ − bᵢ)·ln(cᵢ / bᵢ), ≥ 0; 0 means identical bin proportions.</param>
/// <param name="Edges">The inner bin edges, from the baseline's quantiles; bin i is (Edges[i−1], Edges[i]].</param>
/// <param name="BaselineProportions">The baseline share bᵢ of each bin, empty bins set to ε.</param>
/// <param name="CurrentProportions">The current share cᵢ of each bin, empty bins set to ε.</param>
public sealed record PsiResult(double Value, IReadOnlyList<double> Edges, IReadOnlyList<double> BaselineProportions, IReadOnlyList<double> CurrentProportions);
