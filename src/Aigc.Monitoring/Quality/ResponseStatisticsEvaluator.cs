namespace Aigc.Monitoring;

/// <summary>
/// A reference-free evaluator for live traffic, where no reference answer exists: it scores the response alone with
/// <c>repetition</c> (seq-rep-4, <see cref="RepetitionRate"/>: the share of the response's word 4-grams that repeat
/// an earlier one — loops show as values near 1), <c>distinct_2</c> (distinct word bigrams ÷ all word bigrams of the
/// response, <see cref="DistinctN"/>; 0 when it has fewer than two words), <c>words</c> (its word count,
/// <see cref="WordTokenizer"/>, CJK characters counted one each) and <c>prompt_words</c>.
/// </summary>
/// <remarks>
/// These are the signals drift monitoring compares with a baseline window (response length, degeneration); add an
/// <see cref="LlmJudgeEvaluator"/> for judged quality.
/// </remarks>
public sealed class ResponseStatisticsEvaluator : IEvaluator
{
    /// <inheritdoc />
    public string Name => "response-statistics";

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        var words = WordTokenizer.Tokenize(input.Response);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["repetition"] = RepetitionRate.Compute(input.Response, RepetitionRate.DefaultOrder),
            ["distinct_2"] = words.Count < 2 ? 0 : DistinctN.Compute([words], 2),
            ["words"] = words.Count,
            ["prompt_words"] = WordTokenizer.CountWords(input.Prompt),
        };
        return ValueTask.FromResult(EvaluationResult.Success(Name, scores));
    }
}
