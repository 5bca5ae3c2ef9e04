using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Aigc.Inference.Tests.Batching;

/// <summary>When a batch is sent: full, preferred size, max queue delay, priorities, ordering. Time is a FakeTimeProvider, so nothing depends on the machine's speed.</summary>
public sealed class BatchFormationTests : IDisposable
{
    private readonly ModelSession _session = Models.Affine();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task A_partial_batch_waits_for_the_max_queue_delay_of_its_oldest_request()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(100) }, _time);
        var start = _time.GetTimestamp();
        var first = model.InferAsync(Requests.Affine(1, 1)).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(40));
        var second = model.InferAsync(Requests.Affine(1, 2)).AsTask();
        var third = model.InferAsync(Requests.Affine(1, 3)).AsTask();
        var due = start + (long)(0.1 * _time.TimestampFrequency);
        Eventually.True(() => model.IdleExecutors == 1 && model.ScheduledWake == due, "the executor waits for the oldest request's delay");

        _time.Advance(TimeSpan.FromMilliseconds(59));
        Assert.False(first.IsCompleted || second.IsCompleted || third.IsCompleted);
        Assert.Equal(3, model.PendingRequests);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var results = await Task.WhenAll(first, second, third);

        Assert.All(results, r => Assert.Equal(3, r.BatchRows));
        Assert.Equal(TimeSpan.FromMilliseconds(100), results[0].QueueTime);
        Assert.Equal(TimeSpan.FromMilliseconds(60), results[1].QueueTime);
    }

    [Fact]
    public async Task A_full_batch_is_sent_at_once()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);

        var results = await Task.WhenAll(model.InferAsync(Requests.Affine(2, 1)).AsTask(), model.InferAsync(Requests.Affine(2, 2)).AsTask());

        Assert.All(results, r => Assert.Equal(4, r.BatchRows));
    }

    [Fact]
    public async Task A_batch_the_next_request_would_overflow_is_sent_at_once_and_requests_are_never_split()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);
        using var gate = new Gate(model, holdFirst: 0);

        var first = model.InferAsync(Requests.Affine(3, 1)).AsTask();
        var second = model.InferAsync(Requests.Affine(2, 2)).AsTask();

        Assert.Equal(3, (await first).BatchRows);
        Eventually.True(() => model.IdleExecutors == 1 && model.PendingRequests == 1, "the second request waits");
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, (await second).BatchRows);
    }

    [Fact]
    public async Task The_largest_preferred_batch_size_that_can_be_formed_is_sent_without_waiting()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromHours(1), PreferredBatchSizes = { 2, 4 } }, _time);
        using var gate = new Gate(model, holdFirst: 0);

        var lone = model.InferAsync(Requests.Affine(1, 1)).AsTask();
        Eventually.True(() => model.IdleExecutors == 1 && model.ScheduledWake != long.MaxValue, "a single row waits for the delay");
        Assert.False(lone.IsCompleted);
        var pair = model.InferAsync(Requests.Affine(1, 2)).AsTask();

        Assert.Equal(2, (await lone).BatchRows);
        Assert.Equal(2, (await pair).BatchRows);

        var three = model.InferAsync(Requests.Affine(3, 3)).AsTask();
        var one = model.InferAsync(Requests.Affine(1, 4)).AsTask();
        Assert.Equal(4, (await three).BatchRows);
        Assert.Equal(4, (await one).BatchRows);
    }

    [Fact]
    public async Task Higher_priority_levels_are_served_first_and_each_level_in_arrival_order()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 4, PriorityLevels = 2, DefaultPriority = 2 }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        var blocker = Requests.Affine(1, 0);
        var blocked = model.InferAsync(blocker).AsTask();
        Eventually.True(() => gate.Held == 1, "the first batch holds the executor");

        var low1 = Requests.Affine(1, 1);
        var low2 = Requests.Affine(1, 2);
        var high1 = Requests.Affine(1, 3);
        var low3 = Requests.Affine(1, 4);
        var high2 = Requests.Affine(1, 5);
        high1.Priority = 1;
        high2.Priority = 1;
        var tasks = new[] { low1, low2, high1, low3, high2 }.Select(r => model.InferAsync(r).AsTask()).ToArray();
        Eventually.True(() => model.PendingRequests == 5, "all five are queued");
        gate.Open();
        await Task.WhenAll(tasks.Append(blocked));

        var batches = gate.Batches;
        Assert.Equal(3, batches.Count);
        Assert.Equal([high1.Inputs["x"], high2.Inputs["x"], low1.Inputs["x"], low2.Inputs["x"]], batches[1]);
        Assert.Equal([low3.Inputs["x"]], batches[2]);
    }

    [Fact]
    public async Task With_ordering_preserved_a_later_batch_completes_only_after_the_earlier_one()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 1, ExecutorCount = 2, PreserveOrdering = true }, _time);
        using var gate = new Gate(model, holdFirst: 1);
        var laterRan = new ManualResetEventSlim();
        model.AfterExecute = batch => laterRan.Set();

        var earlier = model.InferAsync(Requests.Affine(1, 1)).AsTask();
        Eventually.True(() => gate.Held == 1, "the first batch holds one executor");
        var later = model.InferAsync(Requests.Affine(1, 2)).AsTask();
        Assert.True(laterRan.Wait(TimeSpan.FromSeconds(30)), "the second executor ran the later batch");

        Assert.False(later.IsCompleted);
        gate.Open();
        await Task.WhenAll(earlier, later);
        Assert.Equal(1, (await later).Rows);
    }

    [Fact]
    public async Task Without_ordering_a_later_batch_completes_while_an_earlier_one_still_runs()
    {
        await using var model = new BatchedModel(_session, new BatchingOptions { MaxBatchSize = 1, ExecutorCount = 2 }, _time);
        using var gate = new Gate(model, holdFirst: 1);

        var earlier = model.InferAsync(Requests.Affine(1, 1)).AsTask();
        Eventually.True(() => gate.Held == 1, "the first batch holds one executor");
        var later = await model.InferAsync(Requests.Affine(1, 2));

        Assert.Equal(1, later.Rows);
        Assert.False(earlier.IsCompleted);
        gate.Open();
        await earlier;
    }

    [Fact]
    public async Task Outputs_whose_shape_the_batcher_cannot_predict_are_allocated_by_onnx_runtime_and_split_all_the_same()
    {
        using var session = ModelSession.LoadFromBytes(TestGraphs.Doubled(), "doubled", Models.Cpu(), null);
        await using var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 3, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);
        var one = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[] { 1, 2 }, 1, 2));
        var two = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[] { 3, 4, 5, 6 }, 2, 2));

        var results = await Task.WhenAll(model.InferAsync(one).AsTask(), model.InferAsync(two).AsTask());

        Assert.Equal(3, results[0].BatchRows);
        Assert.Equal(new float[] { 1, 2, 1, 2 }, results[0].GetOutput<float>("y").Span.ToArray());
        Assert.Equal(new float[] { 3, 4, 3, 4, 5, 6, 5, 6 }, results[1].GetOutput<float>("y").Span.ToArray());
        Assert.Equal([2L, 4L], results[1]["y"].Shape.ToArray());
    }

    [Fact]
    public async Task Requests_whose_unpadded_variable_dimensions_differ_are_not_batched_together()
    {
        using var session = Models.Sequence();
        await using var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1) }, _time);
        var shortRequest = Requests.WithFullMask(Requests.Tokens(1, 2, 1));
        var longRequest = Requests.WithFullMask(Requests.Tokens(1, 3, 2));

        var first = model.InferAsync(shortRequest).AsTask();
        var second = model.InferAsync(longRequest).AsTask();
        Models.AssertSameOutputs(session.Run(shortRequest), await first);
        Assert.Equal(1, (await first).BatchRows);
        Eventually.True(() => model.IdleExecutors == 1 && model.PendingRequests == 1, "the longer request waits for its own batch");
        _time.Advance(TimeSpan.FromHours(1));

        Models.AssertSameOutputs(session.Run(longRequest), await second);
    }
}
