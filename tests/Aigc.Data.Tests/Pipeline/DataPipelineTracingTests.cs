using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aigc.Data.Tests.Pipeline;

public sealed class DataPipelineTracingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-pipeline-trace-").FullName;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public DataPipelineTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DataTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_run_is_one_span_with_the_dataset_its_counts_and_an_event_per_step_and_a_reuse_says_so()
    {
        var store = new FileDatasetStore(_root);
        var name = "traced-" + Guid.NewGuid().ToString("N");
        var records = new[] { "hello world", "hi", "hello world", "a longer text" }.Select((t, i) => DataRecord.CreateText($"r-{i}", t)).ToList();
        DataPipeline Pipeline() => new DataPipeline(name, new ListSource(RecordKind.Text, records)).Add(new MinLengthStep(3)).Add(new SeenBeforeStep());

        var first = await Pipeline().RunAsync(store);
        await Pipeline().RunAsync(store);

        var spans = _spans.Where(s => Equals(s.GetTagItem(DataTelemetry.DatasetName), name)).ToList();
        Assert.Equal(2, spans.Count);
        var run = spans[0];
        Assert.Equal($"{DataTelemetry.PipelineRun} {name}", run.DisplayName);
        Assert.Equal(first.Manifest.Fingerprint, run.GetTagItem(DataTelemetry.Fingerprint));
        Assert.Equal(false, run.GetTagItem(DataTelemetry.Reused));
        Assert.Equal(2L, run.GetTagItem(DataTelemetry.Kept));
        Assert.Equal(1L, run.GetTagItem(DataTelemetry.Rejected));
        Assert.Equal(1L, run.GetTagItem(DataTelemetry.Deduplicated));
        var steps = run.Events.Where(e => e.Name == DataTelemetry.StepEvent).ToList();
        Assert.Equal(["test.min-length", "test.seen-before"], steps.Select(e => e.Tags.First(t => t.Key == "aigc.data.step.id").Value));
        Assert.Equal([4L, 3L], steps.Select(e => e.Tags.First(t => t.Key == "aigc.data.step.in").Value));

        Assert.Equal(true, spans[1].GetTagItem(DataTelemetry.Reused));
        Assert.Equal(first.Manifest.Version, spans[1].GetTagItem(DataTelemetry.DatasetVersion));
    }
}
