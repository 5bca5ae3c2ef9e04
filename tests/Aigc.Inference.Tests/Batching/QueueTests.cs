using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Aigc.Inference.Tests.Batching;

/// <summary>Timeouts, the bounded queue, cancellation and disposal. Executors are held in a <see cref="Gate"/> so the queue's state is known.</summary>
public sealed class QueueTests : IDisposable
{
    private readonly ModelSession _session = Models.Affine();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task A_request_that_waits_past_its_timeout_is_rejected_while_still_queued()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 1, DefaultTimeout = TimeSpan.FromSeconds(1) }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        var blocked = model.InferAsync(Requests.Affine(1, 0)).AsTask();
        Eventually.True(() => gate.Held == 1, "the executor is held");
        var hurried = Requests.Affine(1, 1);
        hurried.Timeout = TimeSpan.FromMilliseconds(50);
        var shortTimeout = model.InferAsync(hurried).AsTask();
        var defaultTimeout = model.InferAsync(Requests.Affine(1, 2)).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(shortTimeout.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<InferenceRejectedException>(() => shortTimeout);
        Assert.Equal(InferenceRejectionReason.Timeout, error.Reason);
        Assert.Equal("affine", error.ModelName);
        Assert.Equal(1, model.PendingRequests);
        gate.Open();
        Assert.Equal(1, (await defaultTimeout).Rows);
        await blocked;
    }

    [Fact]
    public async Task A_full_queue_rejects_at_once_with_a_typed_exception()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 1, MaxQueueSize = 2 }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        var blocked = model.InferAsync(Requests.Affine(1, 0)).AsTask();
        Eventually.True(() => gate.Held == 1, "the executor is held");
        var queued = new[] { model.InferAsync(Requests.Affine(1, 1)).AsTask(), model.InferAsync(Requests.Affine(1, 2)).AsTask() };

        var rejected = model.InferAsync(Requests.Affine(1, 3));

        Assert.True(rejected.IsFaulted);
        var error = await Assert.ThrowsAsync<InferenceRejectedException>(() => rejected.AsTask());
        Assert.Equal(InferenceRejectionReason.QueueFull, error.Reason);
        Assert.Contains("MaxQueueSize", error.Message, StringComparison.Ordinal);
        gate.Open();
        await Task.WhenAll(queued.Append(blocked));
    }

    [Fact]
    public async Task Canceling_a_queued_request_removes_it_from_the_queue()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 2 }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        var blocked = model.InferAsync(Requests.Affine(1, 0)).AsTask();
        Eventually.True(() => gate.Held == 1, "the executor is held");
        using var cancellation = new CancellationTokenSource();
        var canceled = model.InferAsync(Requests.Affine(1, 1), cancellation.Token).AsTask();
        var kept = Requests.Affine(1, 2);
        var survivor = model.InferAsync(kept).AsTask();
        Assert.Equal(2, model.PendingRequests);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.Equal(1, model.PendingRequests);
        gate.Open();
        Models.AssertSameOutputs(_session.Run(kept), await survivor);
        Assert.Equal([kept.Inputs["x"]], gate.Batches[1]);
        await blocked;
    }

    [Fact]
    public async Task A_canceled_token_is_honored_before_queueing()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions(), _time);

        var task = model.InferAsync(Requests.Affine(1, 1), new CancellationToken(canceled: true));

        Assert.True(task.IsCanceled);
        Assert.Equal(0, model.PendingRequests);
    }

    [Fact]
    public async Task When_every_caller_of_a_running_batch_cancels_the_run_is_terminated_and_the_executor_serves_on()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 2, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = model.InferAsync(Requests.Affine(1, 1), first.Token).AsTask();
        var b = model.InferAsync(Requests.Affine(1, 2), second.Token).AsTask();
        Eventually.True(() => gate.Held == 1, "the batch of both requests is running");

        await first.CancelAsync();
        await second.CancelAsync();
        Assert.False(a.IsCompleted || b.IsCompleted);
        gate.Open();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        var terminated = Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(error.InnerException);
        Assert.Contains("terminate", terminated.Message, StringComparison.OrdinalIgnoreCase);
        var next = Requests.Affine(2, 3);
        Models.AssertSameOutputs(_session.Run(next), await model.InferAsync(next));
    }

    [Fact]
    public async Task A_caller_that_cancels_while_its_batch_runs_gets_canceled_and_the_others_their_rows()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 2, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        using var cancellation = new CancellationTokenSource();
        var kept = Requests.Affine(1, 2);
        var a = model.InferAsync(Requests.Affine(1, 1), cancellation.Token).AsTask();
        var b = model.InferAsync(kept).AsTask();
        Eventually.True(() => gate.Held == 1, "the batch of both requests is running");

        await cancellation.CancelAsync();
        gate.Open();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Models.AssertSameOutputs(_session.Run(kept), await b);
    }

    [Fact]
    public async Task Disposal_finishes_queued_requests_and_rejects_new_ones()
    {
        var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);
        var requests = Enumerable.Range(0, 3).Select(i => Requests.Affine(1, i)).ToArray();
        var pending = requests.Select(r => model.InferAsync(r)).ToArray();
        Eventually.True(() => model.PendingRequests == 3, "three requests wait for the delay");

        await model.DisposeAsync();

        Assert.All(pending, p => Assert.True(p.IsCompletedSuccessfully));
        for (var i = 0; i < requests.Length; i++)
        {
            Models.AssertSameOutputs(_session.Run(requests[i]), await pending[i]);
        }

        var error = await Assert.ThrowsAsync<InferenceRejectedException>(() => model.InferAsync(Requests.Affine(1, 9)).AsTask());
        Assert.Equal(InferenceRejectionReason.ShuttingDown, error.Reason);
        await model.DisposeAsync();
        model.Dispose();
    }

    [Fact]
    public async Task Disposal_under_load_completes_every_request_with_its_rows_or_a_shutdown_rejection()
    {
        var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 8, ExecutorCount = 2, MaxQueueSize = 100_000 });
        var served = 0;
        var rejected = 0;
        var started = new TaskCompletionSource();
        var workers = Enumerable.Range(0, 32).Select(t => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var request = Requests.Affine(1 + (i % 3), (t * 1000) + i);
                try
                {
                    var result = await model.InferAsync(request);
                    Models.AssertSameOutputs(_session.Run(request), result);
                    if (Interlocked.Increment(ref served) == 500)
                    {
                        started.TrySetResult();
                    }
                }
                catch (InferenceRejectedException error) when (error.Reason == InferenceRejectionReason.ShuttingDown)
                {
                    Interlocked.Increment(ref rejected);
                    return;
                }
            }
        })).ToArray();

        await started.Task;
        await model.DisposeAsync();
        await Task.WhenAll(workers);

        Assert.Equal(32, rejected);
        Assert.True(served >= 500);
    }
}
