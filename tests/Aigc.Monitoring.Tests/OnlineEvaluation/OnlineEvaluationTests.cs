using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.OnlineEvaluation;

public sealed class OnlineEvaluationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static EvaluationInput Input(int i) => new("prompt " + i, "response " + i);

    private static OnlineEvaluationContext Context(int i) => new("req-" + i, "tiny-gpt2", "3");

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void The_sampled_share_is_near_the_rate_and_the_same_id_is_always_decided_the_same_way(double rate)
    {
        using var harness = new EvaluationHarness(rate, 16);
        const int n = 20_000;
        var sampled = 0;
        for (var i = 0; i < n; i++)
        {
            var id = "req-" + i;
            var first = harness.Sink.ShouldSample(id);
            Assert.Equal(first, harness.Sink.ShouldSample(id));
            sampled += first ? 1 : 0;
        }

        // Binomial standard deviation at n = 20000 is at most 0.0036: 0.015 is more than four of them.
        Assert.InRange(sampled / (double)n, rate - 0.015, rate + 0.015);
    }

    [Fact]
    public void Rate_zero_samples_nothing_and_rate_one_everything()
    {
        using var none = new EvaluationHarness(0.0, 16);
        using var all = new EvaluationHarness(1.0, 16);
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(none.Sink.ShouldSample("req-" + i));
            Assert.True(all.Sink.ShouldSample("req-" + i));
        }

        Assert.False(none.Sink.TryEnqueue(Input(1), Context(1)));
        Assert.Empty(none.Of(OnlineEvaluationTelemetry.Dropped));
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_without_blocking_and_the_queued_ones_are_evaluated()
    {
        var gated = new GatedEvaluator();
        using var harness = new EvaluationHarness(1.0, 4, gated);
        await harness.Host.StartAsync();

        Assert.True(harness.Sink.TryEnqueue(Input(0), Context(0)));
        await gated.Entered.Task.WaitAsync(Patience); // the service holds item 0; the queue is empty again

        var accepted = 0;
        for (var i = 1; i <= 7; i++)
        {
            accepted += harness.Sink.TryEnqueue(Input(i), Context(i)) ? 1 : 0;
        }

        Assert.Equal(4, accepted);
        var dropped = harness.Of(OnlineEvaluationTelemetry.Dropped).ToList();
        Assert.Equal(3, dropped.Sum(d => d.Value));
        Assert.All(dropped, d => Assert.Equal(OnlineEvaluationTelemetry.QueueFullReason, d.Tags[OnlineEvaluationTelemetry.DropReasonTag]));
        Assert.All(dropped, d => Assert.Equal("tiny-gpt2", d.Tags[OnlineEvaluationTelemetry.ModelNameTag]));

        gated.Release();
        await harness.Host.StopAsync(); // drains
        Assert.Equal(5, gated.Calls);
        Assert.Equal(5, harness.Of(OnlineEvaluationTelemetry.Score).Count());
    }

    [Fact]
    public async Task Scores_are_recorded_per_evaluator_and_metric_with_model_tags_only_and_feed_drift()
    {
        var fixedScores = new FixedEvaluator("fixed", new Dictionary<string, double> { ["bleu"] = 0.25, ["judge"] = 4, ["bad"] = double.NaN });
        using var harness = new EvaluationHarness(1.0, 64, fixedScores);
        await harness.Host.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(harness.Sink.TryEnqueue(Input(i), Context(i)));
        }

        await harness.Host.StopAsync();

        var scores = harness.Of(OnlineEvaluationTelemetry.Score).ToList();
        Assert.Equal(6, scores.Count); // NaN is skipped
        Assert.Equal(0.75, scores.Where(s => (string?)s.Tags[OnlineEvaluationTelemetry.MetricTag] == "bleu").Sum(s => s.Value), 12);
        Assert.Equal(12, scores.Where(s => (string?)s.Tags[OnlineEvaluationTelemetry.MetricTag] == "judge").Sum(s => s.Value), 12);
        foreach (var (_, tags) in scores)
        {
            Assert.Equal(
                new[] { OnlineEvaluationTelemetry.EvaluatorTag, OnlineEvaluationTelemetry.MetricTag, OnlineEvaluationTelemetry.ModelNameTag, OnlineEvaluationTelemetry.ModelVersionTag }.Order(StringComparer.Ordinal),
                tags.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("fixed", tags[OnlineEvaluationTelemetry.EvaluatorTag]);
            Assert.Equal("tiny-gpt2", tags[OnlineEvaluationTelemetry.ModelNameTag]);
            Assert.Equal("3", tags[OnlineEvaluationTelemetry.ModelVersionTag]);
            Assert.DoesNotContain(tags.Values, v => v is string s && s.StartsWith("req-", StringComparison.Ordinal));
        }

        Assert.Contains(DriftSignals.Quality("fixed.bleu"), harness.Drift.Signals);
        Assert.Contains(DriftSignals.Quality("fixed.judge"), harness.Drift.Signals);
        Assert.DoesNotContain(DriftSignals.Quality("fixed.bad"), harness.Drift.Signals);
    }

    [Fact]
    public async Task A_throwing_evaluator_is_logged_and_counted_and_the_others_still_score()
    {
        var good = new FixedEvaluator("good", new Dictionary<string, double> { ["score"] = 1 });
        using var harness = new EvaluationHarness(1.0, 64, new ThrowingEvaluator(), good);
        await harness.Host.StartAsync();
        Assert.True(harness.Sink.TryEnqueue(Input(0), Context(0)));
        Assert.True(harness.Sink.TryEnqueue(Input(1), Context(1)));
        await harness.Host.StopAsync();

        Assert.Equal(2, good.Calls);
        Assert.Equal(2, harness.Of(OnlineEvaluationTelemetry.Score).Count());
        var errors = harness.Of(OnlineEvaluationTelemetry.Errors).ToList();
        Assert.Equal(2, errors.Sum(e => e.Value));
        Assert.All(errors, e => Assert.Equal("throwing", e.Tags[OnlineEvaluationTelemetry.EvaluatorTag]));
        Assert.All(errors, e => Assert.Equal(typeof(InvalidOperationException).FullName, e.Tags[OnlineEvaluationTelemetry.ErrorTypeTag]));
        var logged = harness.Logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error).ToList();
        Assert.Equal(2, logged.Count);
        Assert.All(logged, e => Assert.Contains("throwing", e.Message, StringComparison.Ordinal));
        Assert.All(logged, e => Assert.IsType<InvalidOperationException>(e.Exception));
    }

    [Fact]
    public async Task Stopping_drains_the_queue_then_refuses_and_counts_new_responses()
    {
        var fixedScores = new FixedEvaluator("fixed", new Dictionary<string, double> { ["s"] = 1 });
        using var harness = new EvaluationHarness(1.0, 256, fixedScores);
        await harness.Host.StartAsync();
        for (var i = 0; i < 200; i++)
        {
            Assert.True(harness.Sink.TryEnqueue(Input(i), Context(i)));
        }

        await harness.Host.StopAsync();
        Assert.Equal(200, fixedScores.Calls);
        Assert.Empty(harness.Of(OnlineEvaluationTelemetry.Dropped));

        Assert.False(harness.Sink.TryEnqueue(Input(999), Context(999)));
        var dropped = Assert.Single(harness.Of(OnlineEvaluationTelemetry.Dropped));
        Assert.Equal(OnlineEvaluationTelemetry.StoppedReason, dropped.Tags[OnlineEvaluationTelemetry.DropReasonTag]);
    }

    [Fact]
    public async Task Stopping_past_the_shutdown_timeout_cancels_the_evaluation_in_flight_and_counts_the_rest()
    {
        var gated = new GatedEvaluator();
        using var harness = new EvaluationHarness(1.0, 16, gated);
        await harness.Host.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(harness.Sink.TryEnqueue(Input(i), Context(i)));
        }

        await gated.Entered.Task.WaitAsync(Patience);
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        await harness.Host.StopAsync(expired.Token); // must return, not throw

        // The loop ends shortly after the cancellation; its drop count lands before Dispose.
        var deadline = DateTime.UtcNow + Patience;
        while (harness.Of(OnlineEvaluationTelemetry.Dropped).Sum(d => d.Value) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(gated.SawCancellation);
        Assert.Equal(1, gated.Calls);
        Assert.Equal(3, harness.Of(OnlineEvaluationTelemetry.Dropped).Sum(d => d.Value));
        Assert.Empty(harness.Of(OnlineEvaluationTelemetry.Score));
        Assert.Contains(harness.Logs.Entries, e => e.Message.Contains("2 sampled responses were not evaluated", StringComparison.Ordinal));
    }
}
