using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aigc.Monitoring.Tests.OnlineEvaluation;

/// <summary>A host with online evaluation, the given evaluators, a log capture and a listener on the evaluation instruments.</summary>
internal sealed class EvaluationHarness : IDisposable
{
    private readonly MeterListener _listener = new();

    public EvaluationHarness(double sampleRate, int capacity, params IEvaluator[] evaluators)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddAigc().AddDriftMonitor(o => o.MinimumSamples = 2).AddOnlineEvaluation()
            .AddLayerOptions<MonitoringOptions>(MonitoringOptions.SectionName).Configure(o =>
            {
                o.EvaluationSampleRate = sampleRate;
                o.EvaluationQueueCapacity = capacity;
            });
        foreach (var evaluator in evaluators)
        {
            builder.Services.AddSingleton(evaluator);
        }

        Host = builder.Build();
        var factory = Host.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("aigc.monitoring.evaluation.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
        Sink = Host.Services.GetRequiredService<IOnlineEvaluationSink>();
    }

    public IHost Host { get; }

    public IOnlineEvaluationSink Sink { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    public DriftMonitor Drift => Host.Services.GetRequiredService<DriftMonitor>();

    public IEnumerable<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
        Measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags));

    public void Dispose()
    {
        _listener.Dispose();
        Host.Dispose();
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        Measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), map));
    }
}
