using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aigc.Inference.Tests.Fixtures;

/// <summary>Records the stopped spans of the <c>Aigc.Inference</c> source; tests pick theirs by trace id (other tests run in parallel).</summary>
internal sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == InferenceTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> All => [.. _spans];

    /// <summary>The stopped spans under <paramref name="parent"/>'s trace.</summary>
    public List<Activity> In(Activity parent) => _spans.Where(s => s.TraceId == parent.TraceId).ToList();

    /// <summary>Waits (up to 10 s) until <paramref name="count"/> spans of <paramref name="parent"/>'s trace have stopped.</summary>
    public async Task<List<Activity>> WaitForAsync(Activity parent, int count)
    {
        for (var i = 0; i < 1000 && In(parent).Count < count; i++)
        {
            await Task.Delay(10);
        }

        return In(parent);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Starts a parent activity of the test's own (no listener needed) and makes it current.</summary>
    public static Activity Parent(string name) => new Activity(name).SetIdFormat(ActivityIdFormat.W3C).Start();
}
