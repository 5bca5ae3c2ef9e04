using System.Globalization;
using Microsoft.Extensions.AI;

namespace Aigc.Monitoring;

/// <summary>
/// LLM-as-judge: an <see cref="IEvaluator"/> that asks a chat model (any <see cref="IChatClient"/>) to grade the
/// response, using a prompt template, and reads the score out of its answer.
/// </summary>
/// <remarks>
/// The judge's answer is parsed as, in order: JSON with a <c>score</c> property (and optionally
/// <c>explanation</c>), a <c>Score: n</c> line, or a bare number. When none is found, or the score lies outside
/// [<see cref="LlmJudgeOptions.MinScore"/>, <see cref="LlmJudgeOptions.MaxScore"/>], the result is a failure whose
/// <see cref="EvaluationResult.Error"/> says what was expected and whose <see cref="EvaluationResult.RawOutput"/>
/// holds the answer. Errors of the chat client itself are not caught.
/// </remarks>
public sealed class LlmJudgeEvaluator : IEvaluator
{
    private const int QuotedAnswerLength = 200;
    private readonly IChatClient _judge;
    private readonly LlmJudgeOptions _options;
    private readonly ChatOptions _chatOptions;

    /// <summary>Initializes the evaluator.</summary>
    /// <param name="judge">The chat client of the judge model.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="judge"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The template or score name is empty, or the score range is empty.</exception>
    public LlmJudgeEvaluator(IChatClient judge, LlmJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(judge);
        options ??= new LlmJudgeOptions();
        if (string.IsNullOrWhiteSpace(options.PromptTemplate) || string.IsNullOrWhiteSpace(options.ScoreName))
        {
            throw new ArgumentException("The judge needs a prompt template and a score name.", nameof(options));
        }

        if (!(options.MinScore < options.MaxScore))
        {
            throw new ArgumentException($"The score range [{options.MinScore}, {options.MaxScore}] is empty: MinScore must be below MaxScore.", nameof(options));
        }

        _judge = judge;
        _options = options;
        _chatOptions = options.ChatOptions ?? new ChatOptions { Temperature = 0 };
    }

    /// <inheritdoc />
    public string Name => "llm-judge";

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public async ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(_options.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, _options.SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, RenderPrompt(input)));
        var response = await _judge.GetResponseAsync(messages, _chatOptions.Clone(), cancellationToken).ConfigureAwait(false);
        var answer = response.Text ?? string.Empty;
        if (!JudgeAnswerParser.TryParse(answer, out var score, out var explanation))
        {
            return EvaluationResult.Failure(
                Name,
                $"The judge's answer contains no score: expected JSON like {{\"score\": {Format(_options.MaxScore)}}}, a line 'Score: n' or a bare number. Answer: \"{Quote(answer)}\"",
                answer);
        }

        if (score < _options.MinScore || score > _options.MaxScore || double.IsNaN(score))
        {
            return EvaluationResult.Failure(
                Name,
                $"The judge's score {Format(score)} lies outside the scale {Format(_options.MinScore)}–{Format(_options.MaxScore)}.",
                answer);
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal) { [_options.ScoreName] = score };
        return EvaluationResult.Success(Name, scores, explanation, answer);
    }

    /// <summary>Fills the placeholders of the prompt template.</summary>
    /// <param name="input">The exchange.</param>
    /// <returns>The prompt sent to the judge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public string RenderPrompt(EvaluationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _options.PromptTemplate
            .Replace("{{prompt}}", input.Prompt, StringComparison.Ordinal)
            .Replace("{{response}}", input.Response, StringComparison.Ordinal)
            .Replace("{{reference}}", string.IsNullOrEmpty(input.Reference) ? "(none)" : input.Reference, StringComparison.Ordinal)
            .Replace("{{min}}", Format(_options.MinScore), StringComparison.Ordinal)
            .Replace("{{max}}", Format(_options.MaxScore), StringComparison.Ordinal);
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static string Quote(string answer) =>
        answer.Length <= QuotedAnswerLength ? answer : string.Concat(answer.AsSpan(0, QuotedAnswerLength), "…");
}
