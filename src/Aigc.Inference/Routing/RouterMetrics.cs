using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aigc.Inference;

/// <summary>A router's instruments on the <c>Aigc.Inference</c> meter, tagged with model, version and route (never request ids).</summary>
internal sealed class RouterMetrics : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _switches;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _loadDuration;
    private readonly UpDownCounter<long> _loaded;
    private readonly Counter<long> _shadowRequests;
    private readonly Histogram<double> _shadowDuration;
    private readonly KeyValuePair<string, object?> _model;

    public RouterMetrics(IMeterFactory? meterFactory, string modelName)
    {
        var meter = meterFactory is null
            ? _ownedMeter = new Meter(InferenceMetricNames.MeterName)
            : meterFactory.Create(new MeterOptions(InferenceMetricNames.MeterName));
        _model = new(InferenceMetricNames.ModelTag, modelName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _requests = meter.CreateCounter<long>(InferenceMetricNames.RoutedRequests, "{request}", "Requests a router sent to a model version, by version and route.");
        _switches = meter.CreateCounter<long>(InferenceMetricNames.RouterSwitches, "{switch}", "Version switches a router made, by route.");
        _failures = meter.CreateCounter<long>(InferenceMetricNames.RouterLoadFailures, "{failure}", "Versions a router failed to load; the previous version kept serving.");
        _loadDuration = meter.CreateHistogram(InferenceMetricNames.RouterLoadDuration, "s", "Time to fetch, verify, load and warm up a model version.", tags: null, advice: seconds);
        _loaded = meter.CreateUpDownCounter<long>(InferenceMetricNames.RouterLoadedVersions, "{version}", "Model versions a router holds in memory, routed to or draining.");
        _shadowRequests = meter.CreateCounter<long>(InferenceMetricNames.ShadowRequests, "{request}", "Requests mirrored to a shadow version, by outcome (success, error, dropped).");
        _shadowDuration = meter.CreateHistogram(InferenceMetricNames.ShadowDuration, "s", "Duration of requests mirrored to a shadow version.", tags: null, advice: seconds);
    }

    public void Routed(object version, string route) =>
        _requests.Add(1, new TagList { _model, new(InferenceMetricNames.VersionTag, version), new(InferenceMetricNames.RouteTag, route) });

    public void Switched(string route, int version, TimeSpan loadDuration)
    {
        _switches.Add(1, new TagList { _model, new(InferenceMetricNames.RouteTag, route), new(InferenceMetricNames.VersionTag, version) });
        if (loadDuration > TimeSpan.Zero)
        {
            _loadDuration.Record(loadDuration.TotalSeconds, new TagList { _model, new(InferenceMetricNames.VersionTag, version) });
        }
    }

    public void LoadFailed(string route, int version) =>
        _failures.Add(1, new TagList { _model, new(InferenceMetricNames.RouteTag, route), new(InferenceMetricNames.VersionTag, version) });

    public void Loaded() => _loaded.Add(1, _model);

    public void Unloaded() => _loaded.Add(-1, _model);

    public void Shadow(int? version, string outcome, TimeSpan duration)
    {
        var tags = new TagList { _model, new(InferenceMetricNames.VersionTag, version), new(InferenceMetricNames.OutcomeTag, outcome) };
        _shadowRequests.Add(1, tags);
        if (outcome != InferenceMetricNames.Dropped)
        {
            _shadowDuration.Record(duration.TotalSeconds, tags);
        }
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
