namespace Aigc.Monitoring;

/// <summary>What an <see cref="IEvaluator"/> found: named scores, or the reason it could not score.</summary>
public sealed class EvaluationResult
{
    private static readonly IReadOnlyDictionary<string, double> NoScores = new Dictionary<string, double>();

    private EvaluationResult(string evaluator, IReadOnlyDictionary<string, double> scores, string? error, string? explanation, string? rawOutput)
    {
        Evaluator = evaluator;
        Scores = scores;
        Error = error;
        Explanation = explanation;
        RawOutput = rawOutput;
    }

    /// <summary>Gets the name of the evaluator that produced the result.</summary>
    public string Evaluator { get; }

    /// <summary>Gets the scores by name (empty when the evaluation failed).</summary>
    public IReadOnlyDictionary<string, double> Scores { get; }

    /// <summary>Gets whether the evaluation produced scores.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Gets why the evaluation failed, or <see langword="null"/> when it succeeded.</summary>
    public string? Error { get; }

    /// <summary>Gets an explanation of the scores (for example a judge's reasoning), when there is one.</summary>
    public string? Explanation { get; }

    /// <summary>Gets the raw output the scores were read from (for example the judge's answer), when there is one.</summary>
    public string? RawOutput { get; }

    /// <summary>Creates a successful result.</summary>
    /// <param name="evaluator">The evaluator's name.</param>
    /// <param name="scores">The scores by name.</param>
    /// <param name="explanation">An optional explanation.</param>
    /// <param name="rawOutput">The optional raw output.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="evaluator"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> is <see langword="null"/>.</exception>
    public static EvaluationResult Success(string evaluator, IReadOnlyDictionary<string, double> scores, string? explanation = null, string? rawOutput = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(evaluator);
        ArgumentNullException.ThrowIfNull(scores);
        return new EvaluationResult(evaluator, scores, null, explanation, rawOutput);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="evaluator">The evaluator's name.</param>
    /// <param name="error">Why it failed, in words a person can act on.</param>
    /// <param name="rawOutput">The raw output that could not be used, when there is one.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="evaluator"/> or <paramref name="error"/> is null or empty.</exception>
    public static EvaluationResult Failure(string evaluator, string error, string? rawOutput = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(evaluator);
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new EvaluationResult(evaluator, NoScores, error, null, rawOutput);
    }

    /// <inheritdoc />
    public override string ToString() => Succeeded
        ? Evaluator + ": " + string.Join(", ", Scores.Select(static s => s.Key + "=" + s.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))
        : Evaluator + " failed: " + Error;
}
