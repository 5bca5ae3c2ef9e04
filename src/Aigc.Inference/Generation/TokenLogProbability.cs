namespace Aigc.Inference;

/// <summary>A token and its log-probability under the model's distribution (natural logarithm, before any sampling setting).</summary>
/// <param name="TokenId">The token id.</param>
/// <param name="LogProbability">The log-probability.</param>
public readonly record struct TokenLogProbability(int TokenId, float LogProbability);
