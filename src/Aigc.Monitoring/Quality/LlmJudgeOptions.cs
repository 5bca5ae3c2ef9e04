using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;

namespace Aigc.Monitoring;

/// <summary>Settings of <see cref="LlmJudgeEvaluator"/>.</summary>
public sealed class LlmJudgeOptions
{
    /// <summary>The default prompt template: asks for a 1–5 helpfulness and correctness score as JSON.</summary>
    public const string DefaultPromptTemplate =
        """
        You are grading the answer an AI assistant gave to a user. Judge how correct, helpful and complete it is.

        [User prompt]
        {{prompt}}

        [Assistant answer]
        {{response}}

        [Reference answer, if any]
        {{reference}}

        Rate the assistant answer on a scale from {{min}} (useless or wrong) to {{max}} (fully correct and helpful).
        Reply with JSON only, in this form: {"score": <number>, "explanation": "<one sentence>"}
        """;

    /// <summary>
    /// Gets or sets the prompt sent to the judge. The placeholders <c>{{prompt}}</c>, <c>{{response}}</c>,
    /// <c>{{reference}}</c> (replaced by <c>(none)</c> when there is no reference), <c>{{min}}</c> and
    /// <c>{{max}}</c> are filled in.
    /// </summary>
    /// <value>The default value is <see cref="DefaultPromptTemplate"/>.</value>
    [Required]
    public string PromptTemplate { get; set; } = DefaultPromptTemplate;

    /// <summary>Gets or sets an optional system message sent before the prompt.</summary>
    /// <value>The default value is <see langword="null"/> (none).</value>
    public string? SystemPrompt { get; set; }

    /// <summary>Gets or sets the name of the score in the result.</summary>
    /// <value>The default value is <c>judge_score</c>.</value>
    [Required]
    public string ScoreName { get; set; } = "judge_score";

    /// <summary>Gets or sets the lowest valid score; answers below it are failures.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public double MinScore { get; set; } = 1;

    /// <summary>Gets or sets the highest valid score; answers above it are failures.</summary>
    /// <value>The default value is <c>5</c>.</value>
    public double MaxScore { get; set; } = 5;

    /// <summary>Gets or sets the chat options of the judge call (model id, temperature, …).</summary>
    /// <value>The default value is <see langword="null"/>: temperature 0 is requested.</value>
    public ChatOptions? ChatOptions { get; set; }
}
