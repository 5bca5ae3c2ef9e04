namespace Aigc.Monitoring;

/// <summary>
/// An <see cref="IEvaluator"/> that compares the response with the reference answer using BLEU, chrF, ROUGE and
/// exact match. Exchanges without a reference get a failed result saying so.
/// </summary>
public sealed class ReferenceMetricsEvaluator : IEvaluator
{
    private static readonly BleuScorer Bleu = new(new BleuOptions { EffectiveOrder = true });
    private static readonly ChrFScorer ChrF = new();
    private readonly RougeScorer _rouge;
    private readonly ReferenceMetrics _metrics;

    /// <summary>Initializes the evaluator.</summary>
    /// <param name="metrics">The metrics to compute.</param>
    /// <param name="unicodeRougeWords">Whether ROUGE keeps words of any script whole (see <see cref="RougeTokenizer"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="metrics"/> is <see cref="ReferenceMetrics.None"/>.</exception>
    public ReferenceMetricsEvaluator(ReferenceMetrics metrics = ReferenceMetrics.All, bool unicodeRougeWords = false)
    {
        if ((metrics & ReferenceMetrics.All) == ReferenceMetrics.None)
        {
            throw new ArgumentException("Choose at least one metric.", nameof(metrics));
        }

        _metrics = metrics;
        _rouge = new RougeScorer(unicodeRougeWords);
    }

    /// <inheritdoc />
    public string Name => "reference-metrics";

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(input.Reference))
        {
            return ValueTask.FromResult(EvaluationResult.Failure(Name, "The exchange has no reference answer; reference metrics need one."));
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        string[] references = [input.Reference];
        if (_metrics.HasFlag(ReferenceMetrics.Bleu))
        {
            scores["bleu"] = Bleu.SentenceScore(input.Response, references).Score;
        }

        if (_metrics.HasFlag(ReferenceMetrics.ChrF))
        {
            scores["chrf"] = ChrF.SentenceScore(input.Response, references).Score;
        }

        if (_metrics.HasFlag(ReferenceMetrics.Rouge))
        {
            var rouge = _rouge.Score(input.Response, input.Reference);
            scores["rouge1"] = rouge.Rouge1.FMeasure;
            scores["rouge2"] = rouge.Rouge2.FMeasure;
            scores["rougeL"] = rouge.RougeL.FMeasure;
        }

        if (_metrics.HasFlag(ReferenceMetrics.ExactMatch))
        {
            scores["exact_match"] = ExactMatch.IsMatch(input.Response, input.Reference) ? 1.0 : 0.0;
        }

        return ValueTask.FromResult(EvaluationResult.Success(Name, scores));
    }
}
