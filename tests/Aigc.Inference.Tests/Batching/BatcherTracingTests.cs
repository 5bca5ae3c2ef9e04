using System.Diagnostics;
using Aigc.Inference.Tests.Fixtures;

namespace Aigc.Inference.Tests.Batching;

public sealed class BatcherTracingTests : IDisposable
{
    private readonly SpanCollector _spans = new();

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task Each_request_is_a_span_under_its_caller_and_the_batch_that_serves_them_is_a_root_span_linked_to_each()
    {
        using var session = Models.Affine();
        BatchedModel model;
        using (SpanCollector.Parent("startup"))
        {
            model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1) });
        }

        await using var _ = model;
        var parents = new List<Activity>();
        var tasks = new List<Task<InferenceResult>>();
        foreach (var (rows, seed) in new[] { (1, 0), (1, 1), (2, 2) })
        {
            var parent = SpanCollector.Parent("caller-" + seed);
            tasks.Add(model.InferAsync(Requests.Affine(rows, seed)).AsTask());
            Assert.Same(parent, Activity.Current);
            parent.Stop();
            parents.Add(parent);
        }

        await Task.WhenAll(tasks);

        var requests = parents.Select(p => Assert.Single(_spans.In(p))).ToList();
        var batch = Assert.Single(_spans.All, s => s.Links.Any(l => l.Context.SpanId == requests[0].SpanId));
        Assert.Equal("infer affine", batch.DisplayName);
        Assert.Equal(ActivityKind.Internal, batch.Kind);
        Assert.Equal(default, batch.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, batch.Status);
        Assert.Equal(requests.Select(r => r.SpanId.ToHexString()).Order(), batch.Links.Select(l => l.Context.SpanId.ToHexString()).Order());
        Assert.Equal(3, batch.GetTagItem(InferenceTelemetry.BatchRequests));
        Assert.Equal(4, batch.GetTagItem(InferenceTelemetry.Rows));
        Assert.Equal("affine", batch.GetTagItem(InferenceTelemetry.ModelName));
        var oldest = Assert.IsType<double>(batch.GetTagItem(InferenceTelemetry.BatchOldestQueueTime));

        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            Assert.Equal("infer.request affine", request.DisplayName);
            Assert.Equal(parents[i].SpanId, request.ParentSpanId);
            Assert.Equal(i == 2 ? 2 : 1, request.GetTagItem(InferenceTelemetry.Rows));
            Assert.Equal(ActivityStatusCode.Unset, request.Status);
            var started = Assert.Single(request.Events);
            Assert.Equal(InferenceTelemetry.BatchStartedEvent, started.Name);
            Assert.Equal(batch.SpanId.ToHexString(), started.Tags.Single(t => t.Key == InferenceTelemetry.BatchSpanId).Value);
            var wait = Assert.IsType<double>(started.Tags.Single(t => t.Key == InferenceTelemetry.QueueTime).Value);
            Assert.InRange(wait, 0, oldest);
            Assert.True(request.StartTimeUtc <= batch.StartTimeUtc && batch.StartTimeUtc + batch.Duration <= request.StartTimeUtc + request.Duration);
        }
    }

    [Fact]
    public async Task A_request_cancelled_in_the_queue_ends_its_span_as_an_error_without_a_batch()
    {
        using var session = Models.Affine();
        await using var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1) });
        using var parent = SpanCollector.Parent("caller");
        using var cancellation = new CancellationTokenSource();

        var task = model.InferAsync(Requests.Affine(1, 0), cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);

        var span = Assert.Single(_spans.In(parent));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("canceled", span.GetTagItem("error.type"));
        Assert.Empty(span.Events);
        Assert.DoesNotContain(_spans.All, s => s.Links.Any(l => l.Context.SpanId == span.SpanId));
    }
}
