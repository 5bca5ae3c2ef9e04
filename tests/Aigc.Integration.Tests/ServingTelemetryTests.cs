using System.Diagnostics;
using Aigc.Inference;
using Aigc.Monitoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Aigc.Integration.Tests;

/// <summary>
/// A host wired the way the docs show — <c>AddAigc().AddInference().AddTextGeneration(…).AddMonitoring()</c> with
/// OpenTelemetry's <c>AddAigcInstrumentation()</c> — serving a real exported decoder through the continuous-batching
/// engine: the GenAI metrics, the online evaluation of live responses and the health checks all see that traffic.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class ServingTelemetryTests : IAsyncLifetime
{
    private readonly List<Metric> _exported = [];
    private MeterProvider _meters = null!;
    private IHost _host = null!;

    private IChatClient Chat => _host.Services.GetRequiredKeyedService<IChatClient>("writer");

    public async Task InitializeAsync()
    {
        _meters = Sdk.CreateMeterProviderBuilder().AddAigcInstrumentation().AddInMemoryExporter(_exported).Build();
        var builder = Host.CreateApplicationBuilder();
        #region serving-monitoring
        builder.Services.AddAigc()
            .AddInference()
            .AddTextGeneration("writer", o =>
            {
                o.Engine.ModelPath = TinyDecoder.Path;
                o.Engine.ModelName = "tiny-writer";
                o.ConfigureChatClient = chat => chat.UseOnlineEvaluation();
            })
            .AddMonitoring(o => o.EvaluationSampleRate = 1.0)
            .AddOnlineEvaluator<ResponseStatisticsEvaluator>();
        builder.Services.AddHealthChecks().AddAigcHealthChecks();
        #endregion
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Token_usage_and_latency_metrics_match_the_responses_the_engine_served()
    {
        var responses = await Task.WhenAll(
            Chat.GetResponseAsync("Describe a linen shirt.", new ChatOptions { MaxOutputTokens = 6 }),
            Chat.GetResponseAsync("Write an ad for a ceramic mug in one line.", new ChatOptions { MaxOutputTokens = 9 }),
            Chat.GetResponseAsync("Hi", new ChatOptions { MaxOutputTokens = 4 }));

        _meters.ForceFlush();
        var usage = Points(GenerationMetricNames.TokenUsage);
        Assert.Equal(responses.Sum(r => r.Usage!.InputTokenCount!.Value), SumOf(usage, "input"));
        Assert.Equal(responses.Sum(r => r.Usage!.OutputTokenCount!.Value), SumOf(usage, "output"));
        Assert.All(usage, p => Assert.Equal("tiny-writer", Tag(p, GenerationMetricNames.ResponseModel)));

        var durations = Points(GenerationMetricNames.RequestDuration);
        Assert.Equal(3, durations.Sum(p => p.GetHistogramCount()));
        Assert.Equal("s", _exported.First(m => m.Name == GenerationMetricNames.RequestDuration).Unit);
        Assert.Equal(3, Points(GenerationMetricNames.TimeToFirstToken).Sum(p => p.GetHistogramCount()));
    }

    [Fact]
    public async Task Live_responses_streamed_or_not_are_scored_by_online_evaluation_off_the_hot_path()
    {
        var whole = await Chat.GetResponseAsync("Describe a wool scarf.", new ChatOptions { MaxOutputTokens = 8 });
        var streamed = new System.Text.StringBuilder();
        await foreach (var update in Chat.GetStreamingResponseAsync("Describe a leather bag.", new ChatOptions { MaxOutputTokens = 8 }))
        {
            streamed.Append(update.Text);
        }

        var expectedWords = WordTokenizer.CountWords(whole.Text) + WordTokenizer.CountWords(streamed.ToString());
        var words = await WaitForScores("words", count: 2);
        Assert.Equal(expectedWords, words.Sum(p => p.GetHistogramSum()));
        Assert.All(words, p =>
        {
            Assert.Equal("response-statistics", Tag(p, OnlineEvaluationTelemetry.EvaluatorTag));
            Assert.Equal("tiny-writer", Tag(p, OnlineEvaluationTelemetry.ModelNameTag));
        });
    }

    [Fact]
    public async Task The_engine_reports_its_model_to_the_health_checks()
    {
        var report = await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var models = report.Entries[AigcHealthCheckNames.Models];
        Assert.Equal(HealthStatus.Healthy, models.Status);
        Assert.Contains("Aigc.Inference.TextGeneration:writer: 1 model(s) loaded, queue 0/16", models.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    private async Task<List<MetricPoint>> WaitForScores(string metric, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            _exported.Clear();
            _meters.ForceFlush();
            var points = Points(OnlineEvaluationTelemetry.Score).Where(p => Tag(p, OnlineEvaluationTelemetry.MetricTag) == metric).ToList();
            if (points.Sum(p => p.GetHistogramCount()) >= count || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Equal(count, points.Sum(p => p.GetHistogramCount()));
                return points;
            }

            await Task.Delay(50);
        }
    }

    private List<MetricPoint> Points(string name)
    {
        var points = new List<MetricPoint>();
        foreach (var metric in _exported.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                points.Add(point);
            }
        }

        return points;
    }

    private static long SumOf(List<MetricPoint> usage, string tokenType) =>
        (long)usage.Where(p => Tag(p, GenerationMetricNames.TokenType) == tokenType).Sum(p => p.GetHistogramSum());

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
