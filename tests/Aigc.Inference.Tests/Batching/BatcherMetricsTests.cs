using System.Diagnostics.Metrics;
using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aigc.Inference.Tests.Batching;

public sealed class BatcherMetricsTests
{
    [Fact]
    public async Task Requests_are_counted_by_outcome_with_seconds_histograms_and_no_request_tags()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(Instrument Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Aigc.Inference" && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((instrument, value, copy));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var time = new FakeTimeProvider();
        using var session = Models.Affine();
        await using (var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 3, MaxQueueSize = 2, MaxQueueDelay = TimeSpan.FromHours(1) }, time, meterFactory))
        {
            using var gate = new Gate(model, holdFirst: 1);
            var blocked = model.InferAsync(Requests.Affine(3, 0)).AsTask();
            Eventually.True(() => gate.Held == 1, "the first batch holds the executor");
            var timingOut = Requests.Affine(1, 1);
            timingOut.Timeout = TimeSpan.FromMilliseconds(10);
            var timedOut = model.InferAsync(timingOut).AsTask();
            using var cancellation = new CancellationTokenSource();
            var canceled = model.InferAsync(Requests.Affine(1, 2), cancellation.Token).AsTask();
            var full = model.InferAsync(Requests.Affine(1, 3)).AsTask();
            await cancellation.CancelAsync();
            time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.Throws<ModelInputException>(() => model.InferAsync(Requests.Affine(4, 4)));
            gate.Open();
            await blocked;
            await Assert.ThrowsAsync<InferenceRejectedException>(() => timedOut);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
            await Assert.ThrowsAsync<InferenceRejectedException>(() => full);
        }

        List<(Instrument Instrument, double Value, Dictionary<string, object?> Tags)> all;
        lock (measurements)
        {
            all = [.. measurements];
        }

        double Sum(string name, string? outcome = null) => all
            .Where(m => m.Instrument.Name == name && (outcome is null || Equals(m.Tags.GetValueOrDefault("aigc.inference.outcome"), outcome)))
            .Sum(m => m.Value);

        foreach (var outcome in new[] { "success", "rejected", "timeout", "canceled", "error" })
        {
            Assert.Equal(1, Sum("aigc.inference.requests", outcome));
        }

        Assert.Equal(3, Sum("aigc.inference.inference.count"));
        Assert.Equal(1, Sum("aigc.inference.execution.count"));
        Assert.Equal(3, Assert.Single(all, m => m.Instrument.Name == "aigc.inference.batch.size").Value);
        Assert.Equal(0, Sum("aigc.inference.pending_requests"));
        Assert.All(all, m => Assert.Equal("affine", m.Tags["aigc.model.name"]));
        Assert.All(all, m => Assert.Subset(new HashSet<string> { "aigc.model.name", "aigc.inference.outcome" }, m.Tags.Keys.ToHashSet()));
        var queue = (Histogram<double>)all.First(m => m.Instrument.Name == "aigc.inference.queue.duration").Instrument;
        Assert.Equal("s", queue.Unit);
        Assert.NotNull(queue.Advice?.HistogramBucketBoundaries);
        Assert.Contains(0.005, queue.Advice!.HistogramBucketBoundaries!);
        Assert.Contains(all, m => m.Instrument.Name == "aigc.inference.compute.duration" && m.Instrument.Unit == "s");
    }
}
