using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aigc.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Aigc.Monitoring.Tests.Telemetry;

public sealed class AigcInstrumentationTests
{
    // The SDK's default boundaries, which are scaled for milliseconds.
    private static readonly double[] DefaultBoundaries = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    [Fact]
    public void GenAi_durations_from_an_Aigc_Inference_meter_get_seconds_buckets_units_tags_and_values()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var version = Guid.NewGuid().ToString("N");
        var meter = services.GetRequiredService<IMeterFactory>().Create(new MeterOptions(AigcTelemetryNames.Inference) { Version = version });
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddAigcInstrumentation().AddInMemoryExporter(exported).Build();

        // The engine's instruments, created without bucket advice: the views alone must give the seconds buckets.
        var duration = meter.CreateHistogram<double>(AigcTelemetryNames.ServerRequestDuration, "s");
        var firstToken = meter.CreateHistogram<double>(AigcTelemetryNames.ServerTimeToFirstToken, "s");
        var perToken = meter.CreateHistogram<double>(AigcTelemetryNames.ServerTimePerOutputToken, "s");
        var tags = new TagList { { "gen_ai.operation.name", "chat" }, { "gen_ai.provider.name", "aigc" }, { "gen_ai.response.model", "tiny" } };
        duration.Record(0.3, tags);
        duration.Record(1.5, tags);
        firstToken.Record(0.03, tags);
        perToken.Record(0.004, tags);

        provider.ForceFlush();
        var mine = exported.Where(m => m.MeterVersion == version).ToList();

        AssertHistogram(mine, AigcTelemetryNames.ServerRequestDuration, "s", AigcHistogramBuckets.RequestDuration, count: 2, sum: 1.8);
        AssertHistogram(mine, AigcTelemetryNames.ServerTimeToFirstToken, "s", AigcHistogramBuckets.TimeToFirstToken, count: 1, sum: 0.03);
        AssertHistogram(mine, AigcTelemetryNames.ServerTimePerOutputToken, "s", AigcHistogramBuckets.TimePerOutputToken, count: 1, sum: 0.004);

        var point = Points(mine.Single(m => m.Name == AigcTelemetryNames.ServerRequestDuration)).Single();
        Assert.Equal(
            new Dictionary<string, object?> { ["gen_ai.operation.name"] = "chat", ["gen_ai.provider.name"] = "aigc", ["gen_ai.response.model"] = "tiny" },
            Tags(point));

        // 0.3 s falls in (0.16, 0.32] and 1.5 s in (1.28, 2.56]: with the millisecond defaults both would share [0, 5].
        var counts = Buckets(point);
        Assert.Equal(1, counts[0.32]);
        Assert.Equal(1, counts[2.56]);
        Assert.Equal(2, counts.Values.Sum());
    }

    [Fact]
    public void Token_usage_gets_token_count_buckets_per_token_type()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var version = Guid.NewGuid().ToString("N");
        var meter = services.GetRequiredService<IMeterFactory>().Create(new MeterOptions(AigcTelemetryNames.Inference) { Version = version });
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddAigcInstrumentation().AddInMemoryExporter(exported).Build();

        var tokens = meter.CreateHistogram<long>(AigcTelemetryNames.ClientTokenUsage, "{token}");
        tokens.Record(12, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        tokens.Record(300, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));

        provider.ForceFlush();
        var metric = exported.Single(m => m.MeterVersion == version && m.Name == AigcTelemetryNames.ClientTokenUsage);
        Assert.Equal("{token}", metric.Unit);
        var points = Points(metric);
        Assert.Equal(2, points.Count);
        foreach (var point in points)
        {
            Assert.Equal(AigcHistogramBuckets.TokenUsage, Buckets(point).Keys.Where(double.IsFinite));
        }

        var output = points.Single(p => (string?)Tags(p)["gen_ai.token.type"] == "output");
        Assert.Equal(300, output.GetHistogramSum());
        Assert.Equal(1, Buckets(output)[1024]);
    }

    [Fact]
    public void The_views_leave_other_meters_alone_and_respect_bucket_advice()
    {
        var version = Guid.NewGuid().ToString("N");
        using var other = new Meter("Other.Library", version);
        using var training = new Meter(AigcTelemetryNames.Training, version);
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddAigcInstrumentation().AddMeter("Other.Library").AddInMemoryExporter(exported).Build();

        other.CreateHistogram<double>(AigcTelemetryNames.ServerRequestDuration, "s").Record(0.5);
        training.CreateHistogram<double>("aigc.training.step.duration", "s").Record(0.5);
        training.CreateHistogram<double>("aigc.training.advised", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] }).Record(0.5);
        training.CreateHistogram<double>("aigc.training.loss").Record(0.5);

        provider.ForceFlush();
        var mine = exported.Where(m => m.MeterVersion == version).ToList();
        Assert.Equal(DefaultBoundaries, BoundariesOf(mine.Single(m => m.MeterName == "Other.Library")));
        Assert.Equal(AigcHistogramBuckets.Seconds, BoundariesOf(mine.Single(m => m.Name == "aigc.training.step.duration")));
        Assert.Equal([0.5, 1.0], BoundariesOf(mine.Single(m => m.Name == "aigc.training.advised")));
        Assert.Equal(DefaultBoundaries, BoundariesOf(mine.Single(m => m.Name == "aigc.training.loss")));
    }

    [Fact]
    public void Every_Aigc_meter_is_subscribed_and_others_are_not()
    {
        var version = Guid.NewGuid().ToString("N");
        using var data = new Meter(AigcTelemetryNames.Data, version);
        using var monitoring = new Meter(AigcTelemetryNames.Monitoring, version);
        using var stranger = new Meter("Stranger", version);
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddAigcInstrumentation().AddInMemoryExporter(exported).Build();

        data.CreateCounter<long>("aigc.data.records", "{record}").Add(3);
        monitoring.CreateCounter<long>("aigc.monitoring.x", "{x}").Add(1);
        stranger.CreateCounter<long>("stranger.count").Add(1);

        provider.ForceFlush();
        var names = exported.Where(m => m.MeterVersion == version).Select(m => m.MeterName + "/" + m.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Aigc.Data/aigc.data.records", "Aigc.Monitoring/aigc.monitoring.x"], names);
        var records = exported.Single(m => m.MeterVersion == version && m.Name == "aigc.data.records");
        Assert.Equal(3, Points(records).Single().GetSumLong());
    }

    [Fact]
    public void Every_Aigc_activity_source_is_traced_and_others_are_not()
    {
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder().AddAigcInstrumentation().AddInMemoryExporter(exported).Build();
        using var inference = new ActivitySource(AigcTelemetryNames.Inference);
        using var stranger = new ActivitySource("Stranger");
        var marker = Guid.NewGuid().ToString("N");

        using (inference.StartActivity("generate " + marker))
        {
        }

        using (var activity = stranger.StartActivity("other " + marker))
        {
            Assert.Null(activity);
        }

        provider.ForceFlush();
        var mine = exported.Where(a => a.DisplayName.EndsWith(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(AigcTelemetryNames.Inference, Assert.Single(mine).Source.Name);
    }

    private static void AssertHistogram(List<Metric> metrics, string name, string unit, IReadOnlyList<double> boundaries, long count, double sum)
    {
        var metric = metrics.Single(m => m.Name == name);
        Assert.Equal(unit, metric.Unit);
        Assert.Equal(MetricType.Histogram, metric.MetricType);
        Assert.Equal(boundaries, BoundariesOf(metric));
        var point = Points(metric).Single();
        Assert.Equal(count, point.GetHistogramCount());
        Assert.Equal(sum, point.GetHistogramSum(), 9);
    }

    private static double[] BoundariesOf(Metric metric) => [.. Buckets(Points(metric).Single()).Keys.Where(double.IsFinite)];

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static Dictionary<double, long> Buckets(MetricPoint point)
    {
        var buckets = new Dictionary<double, long>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            buckets[bucket.ExplicitBound] = bucket.BucketCount;
        }

        return buckets;
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }
}
