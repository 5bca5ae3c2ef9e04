using System.Diagnostics.Metrics;
using Aigc.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Aigc.Monitoring.Tests.Drift;

public sealed class DriftMonitorTests
{
    [Fact]
    public void A_shift_raises_one_log_entry_one_metric_and_one_event()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var logger = new CapturingLogger<DriftMonitor>();
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var alerts = new List<(long Value, string? Signal, string? Test)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == DriftTelemetry.Alerts)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? signal = null, test = null;
            foreach (var tag in tags)
            {
                signal = tag.Key == DriftTelemetry.SignalTag ? (string?)tag.Value : signal;
                test = tag.Key == DriftTelemetry.TestTag ? (string?)tag.Value : test;
            }

            lock (alerts)
            {
                alerts.Add((value, signal, test));
            }
        });
        listener.Start();

        using var monitor = new DriftMonitor(Options.Create(new DriftOptions { WindowSize = 500, MinimumSamples = 200, CheckEvery = 50 }), logger, factory, time);
        var events = new List<DriftReport>();
        monitor.DriftDetected += (_, report) => events.Add(report);
        var random = new Random(5);

        // The first 500 values become the baseline; 500 more from the same distribution raise nothing.
        foreach (var value in Gaussian.Sample(random, 1000, 0, 1))
        {
            monitor.RecordQualityScore("judge_score", value);
        }

        Assert.Empty(events);
        Assert.False(monitor.Check("quality.judge_score")!.IsDrift);

        // A 2σ shift: one alert, however many checks follow.
        foreach (var value in Gaussian.Sample(random, 600, 2, 1))
        {
            monitor.RecordQualityScore("judge_score", value);
        }

        var report = Assert.Single(events);
        Assert.Equal("quality.judge_score", report.Signal);
        Assert.True(report.IsDrift);
        Assert.Equal(time.GetUtcNow(), report.CheckedAt);
        Assert.Equal(500, report.BaselineCount);

        var alert = Assert.Single(alerts);
        var test = report.PsiExceeded && report.KsRejected ? "psi+ks" : report.PsiExceeded ? "psi" : "ks";
        Assert.Equal((1L, "quality.judge_score", test), alert);

        var warning = Assert.Single(logger.Entries, static e => e.Level == LogLevel.Warning);
        Assert.Equal("DriftDetected", warning.Id.Name);
        Assert.Contains("quality.judge_score", warning.Message, StringComparison.Ordinal);

        // Back to the baseline distribution: a recovery is logged, and a new shift alerts again.
        foreach (var value in Gaussian.Sample(random, 500, 0, 1))
        {
            monitor.RecordQualityScore("judge_score", value);
        }

        Assert.Contains(logger.Entries, static e => e.Id.Name == "DriftRecovered");
        foreach (var value in Gaussian.Sample(random, 500, -2, 1))
        {
            monitor.RecordQualityScore("judge_score", value);
        }

        Assert.Equal(2, events.Count);
    }

    [Fact]
    public void Gauges_publish_the_latest_statistics()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var monitor = new DriftMonitor(Options.Create(new DriftOptions { WindowSize = 100, MinimumSamples = 50, CheckEvery = 0 }), meterFactory: factory);
        monitor.SetBaseline(DriftSignals.PromptLength, Enumerable.Range(0, 100).Select(static i => (double)i));
        for (var i = 0; i < 100; i++)
        {
            monitor.RecordExchange(i + 50, 10);
        }

        Assert.Null(monitor.Check(DriftSignals.ResponseLength));
        var report = monitor.Check(DriftSignals.PromptLength)!;

        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured[instrument.Name + "/" + tags[0].Value] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(report.Psi.Value, measured[DriftTelemetry.Psi + "/prompt_length"]);
        Assert.Equal(0.5, measured[DriftTelemetry.KsStatistic + "/prompt_length"], 12);
        Assert.Equal([DriftSignals.PromptLength, DriftSignals.ResponseLength], monitor.Signals.Order());
    }

    [Fact]
    public void Promoting_the_current_window_resets_the_baseline()
    {
        using var monitor = new DriftMonitor(Options.Create(new DriftOptions { WindowSize = 300, MinimumSamples = 200, CheckEvery = 0, BaselineFromFirstWindow = false }));
        var random = new Random(9);
        monitor.SetBaseline("s", Gaussian.Sample(random, 300, 0, 1));
        foreach (var value in Gaussian.Sample(random, 300, 3, 1))
        {
            monitor.Record("s", value);
        }

        Assert.True(monitor.Check("s")!.IsDrift);
        Assert.True(monitor.PromoteCurrentWindowToBaseline("s"));
        Assert.Null(monitor.Check("s"));
        foreach (var value in Gaussian.Sample(random, 300, 3, 1))
        {
            monitor.Record("s", value);
        }

        Assert.False(monitor.CheckAll().Single().IsDrift);
    }

    [Fact]
    public void Bad_values_and_options_are_rejected()
    {
        using var monitor = new DriftMonitor(Options.Create(new DriftOptions()));
        Assert.Throws<ArgumentException>(() => monitor.Record("s", double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => monitor.RecordExchange(-1, 0));
        var error = Assert.Throws<ArgumentException>(() => new DriftMonitor(Options.Create(new DriftOptions { WindowSize = 100, MinimumSamples = 200 })));
        Assert.Contains("MinimumSamples (200) exceeds WindowSize (100)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDriftMonitor_registers_one_monitor_with_validated_options()
    {
        var services = new ServiceCollection();
        services.AddAigc().AddDriftMonitor(static o => o.PsiThreshold = 0.25);
        using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<DriftMonitor>();
        Assert.Same(monitor, provider.GetRequiredService<DriftMonitor>());
        Assert.Equal(0.25, provider.GetRequiredService<IOptions<DriftOptions>>().Value.PsiThreshold);
    }

    [Fact]
    public void Inconsistent_drift_options_fail_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Monitoring:Drift:MinimumSamples"] = "5000" });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddDriftMonitor();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Monitoring:Drift:MinimumSamples", error.Message, StringComparison.Ordinal);
    }
}
