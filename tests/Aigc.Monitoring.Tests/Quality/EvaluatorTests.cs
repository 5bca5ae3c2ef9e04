using Aigc.Monitoring;
using Microsoft.Extensions.AI;

namespace Aigc.Monitoring.Tests.Quality;

public sealed class EvaluatorTests
{
    private static readonly EvaluationInput Input = new("What is the capital of France?", "Paris.") { Reference = "Paris" };

    [Theory]
    [InlineData("{\"score\": 4, \"explanation\": \"Correct but terse.\"}", 4.0, "Correct but terse.")]
    [InlineData("```json\n{\"Score\": \"5\"}\n```", 5.0, null)]
    [InlineData("The answer is right.\nScore: 3", 3.0, null)]
    [InlineData("**Score:** 2.5", 2.5, null)]
    [InlineData("4/5", 4.0, null)]
    [InlineData(" 5 ", 5.0, null)]
    public async Task Judge_reads_the_score_in_the_usual_forms(string answer, double expected, string? explanation)
    {
        var judge = new FakeChatClient(answer);
        var result = await new LlmJudgeEvaluator(judge).EvaluateAsync(Input);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Scores["judge_score"]);
        Assert.Equal(explanation, result.Explanation);
        Assert.Equal(answer, result.RawOutput);
    }

    [Fact]
    public async Task Judge_answer_without_a_score_is_a_clear_failure()
    {
        var result = await new LlmJudgeEvaluator(new FakeChatClient("I think it is quite good.")).EvaluateAsync(Input);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Scores);
        Assert.Contains("contains no score", result.Error, StringComparison.Ordinal);
        Assert.Contains("I think it is quite good.", result.Error, StringComparison.Ordinal);
        Assert.Equal("I think it is quite good.", result.RawOutput);
    }

    [Fact]
    public async Task Judge_score_outside_the_scale_is_a_failure()
    {
        var result = await new LlmJudgeEvaluator(new FakeChatClient("{\"score\": 9}")).EvaluateAsync(Input);

        Assert.False(result.Succeeded);
        Assert.Contains("outside the scale 1–5", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_prompt_is_filled_from_the_template()
    {
        var judge = new FakeChatClient("Score: 5");
        var options = new LlmJudgeOptions
        {
            SystemPrompt = "You are strict.",
            PromptTemplate = "Q={{prompt}} A={{response}} R={{reference}} [{{min}}-{{max}}]",
            MinScore = 0,
            MaxScore = 10,
            ScoreName = "quality",
        };
        var result = await new LlmJudgeEvaluator(judge, options).EvaluateAsync(new EvaluationInput("q", "a"));

        Assert.True(result.Succeeded);
        Assert.Equal(5, result.Scores["quality"]);
        var request = Assert.Single(judge.Requests);
        Assert.Equal(ChatRole.System, request[0].Role);
        Assert.Equal("Q=q A=a R=(none) [0-10]", request[1].Text);
        Assert.Equal(0f, judge.LastOptions!.Temperature);
    }

    [Fact]
    public void Judge_rejects_an_empty_scale()
    {
        Assert.Throws<ArgumentException>(() => new LlmJudgeEvaluator(new FakeChatClient("5"), new LlmJudgeOptions { MinScore = 5, MaxScore = 5 }));
    }

    [Fact]
    public async Task Reference_metrics_score_against_the_reference()
    {
        IEvaluator evaluator = new ReferenceMetricsEvaluator();
        var result = await evaluator.EvaluateAsync(new EvaluationInput("q", "The dog bit the man.") { Reference = "The dog bit the man." });

        Assert.True(result.Succeeded);
        Assert.Equal(100.0, result.Scores["bleu"], 9);
        Assert.Equal(100.0, result.Scores["chrf"], 9);
        Assert.Equal(1.0, result.Scores["rouge1"], 12);
        Assert.Equal(1.0, result.Scores["rouge2"], 12);
        Assert.Equal(1.0, result.Scores["rougeL"], 12);
        Assert.Equal(1.0, result.Scores["exact_match"]);

        var missing = await evaluator.EvaluateAsync(new EvaluationInput("q", "a"));
        Assert.False(missing.Succeeded);
        Assert.Contains("no reference", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_evaluators_plug_in_through_the_interface()
    {
        IEvaluator evaluator = new LengthEvaluator();
        var result = await evaluator.EvaluateAsync(Input);

        Assert.Equal("length: words=1", result.ToString());
    }

    private sealed class LengthEvaluator : IEvaluator
    {
        public string Name => "length";

        public ValueTask<EvaluationResult> EvaluateAsync(EvaluationInput input, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(EvaluationResult.Success(Name, new Dictionary<string, double> { ["words"] = WordTokenizer.CountWords(input.Response) }));
    }
}
