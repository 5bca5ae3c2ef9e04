namespace Aigc.Inference;

/// <summary>One token a <see cref="GenerationEngine"/> generated for a request.</summary>
/// <param name="TokenId">The token id (a stop token that ended the sequence is included, with <see cref="FinishReason"/> set).</param>
/// <param name="LogProbability">
/// The token's log-probability under the model's distribution (before penalties, temperature and truncation), or
/// <see cref="float.NaN"/> when <see cref="SamplingOptions.LogProbabilities"/> is off.
/// </param>
/// <param name="TopLogProbabilities">
/// The most likely tokens at this position with their log-probabilities, most likely first, when
/// <see cref="SamplingOptions.TopLogProbabilities"/> is above zero; otherwise <see langword="null"/>.
/// </param>
/// <param name="FinishReason">Set on the last token of the sequence: why it ended.</param>
public readonly record struct GeneratedToken(
    int TokenId,
    float LogProbability,
    IReadOnlyList<TokenLogProbability>? TopLogProbabilities,
    GenerationFinishReason? FinishReason);
