using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;

namespace Aigc.Inference.Tests.Generation;

public sealed class GenerationMetricsTests
{
    [Fact]
    public async Task A_request_records_GenAI_durations_in_seconds_and_token_usage_with_the_required_attributes()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var _ = services;
        var factory = services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GenerationMetricNames.MeterName && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        using var engine = new GenerationEngine(new GenerationEngineOptions { ModelPath = TestModels.Models.Base, ModelName = "small", IntraOpThreads = 1 }, factory);

        await engine.CollectAsync(new GenerationRequest(EngineTestHelpers.Prompt(70, 5)) { Sampling = new SamplingOptions { MaxTokens = 6 } });
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            var duration = Assert.Single(measurements, m => m.Name == "gen_ai.server.request.duration");
            Assert.InRange(duration.Value, 0, 60);
            Assert.Equal("text_completion", duration.Tags["gen_ai.operation.name"]);
            Assert.Equal("aigc", duration.Tags["gen_ai.provider.name"]);
            Assert.Equal("small", duration.Tags["gen_ai.request.model"]);
            Assert.Single(measurements, m => m.Name == "gen_ai.server.time_to_first_token");
            Assert.Single(measurements, m => m.Name == "gen_ai.server.time_per_output_token");
            var usage = measurements.Where(m => m.Name == "gen_ai.client.token.usage").ToList();
            Assert.Equal(5, usage.Single(m => (string?)m.Tags["gen_ai.token.type"] == "input").Value);
            Assert.Equal(6, usage.Single(m => (string?)m.Tags["gen_ai.token.type"] == "output").Value);
            Assert.Contains(measurements, m => m.Name == GenerationMetricNames.RunningSequences);
            Assert.Contains(measurements, m => m.Name == GenerationMetricNames.KvCacheUsage && m.Value is >= 0 and <= 1);
        }
    }
}
