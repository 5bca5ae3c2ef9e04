namespace Aigc.Monitoring;

/// <summary>
/// Scores one model exchange: a prompt, the model's response and, when there is one, a reference answer. Built-in
/// evaluators are <see cref="ReferenceMetricsEvaluator"/> (BLEU, chrF, ROUGE, exact match) and
/// <see cref="LlmJudgeEvaluator"/> (a model grades the response); implement this interface for your own checks.
/// </summary>
/// <remarks>
/// An evaluator reports a failure it can explain (no reference, an answer that does not parse) as a failed
/// <see cref="EvaluationResult"/>; it throws only for bad arguments, cancellation, or errors of the services it
/// calls. Implementations should be thread-safe: online evaluation calls them concurrently.
/// </remarks>
public interface IEvaluator
{
    /// <summary>Gets the evaluator's name, used as the prefix of its metrics and in logs (for example <c>llm-judge</c>).</summary>
    string Name { get; }

    /// <summary>Scores one exchange.</summary>
    /// <param name="input">The prompt, response and optional reference.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The named scores, or a failure with its reason.</returns>
    ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default);
}
