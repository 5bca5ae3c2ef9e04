using System.Collections.Concurrent;
using Aigc.Inference.Tests.Fixtures;

namespace Aigc.Inference.Tests.Batching;

public sealed class BatchedModelLoadTests
{
    [Fact]
    public async Task Ten_thousand_requests_from_64_tasks_each_get_exactly_the_rows_an_unbatched_run_gives()
    {
        const int Tasks = 64;
        const int PerTask = 10_000 / Tasks + 1;
        using var session = Models.Affine();
        await using var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 16, ExecutorCount = 2, MaxQueueSize = 10_000 });
        var random = new Random(42);
        var requests = new InferenceRequest[Tasks * PerTask];
        var expected = new InferenceResult[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Requests.Affine(random.Next(1, 9), i);
            expected[i] = session.Run(requests[i]);
        }

        var batchRows = new ConcurrentBag<int>();
        var workers = new Task[Tasks];
        for (var t = 0; t < Tasks; t++)
        {
            var first = t * PerTask;
            workers[t] = Task.Run(async () =>
            {
                for (var i = first; i < first + PerTask; i++)
                {
                    var result = await model.InferAsync(requests[i]);
                    Assert.Equal(requests[i].Inputs["x"].Rows, result.Rows);
                    Models.AssertSameOutputs(expected[i], result);
                    batchRows.Add(result.BatchRows);
                }
            });
        }

        await Task.WhenAll(workers);

        Assert.Equal(requests.Length, batchRows.Count);
        Assert.True(batchRows.Max() > 8, "Requests from 64 concurrent callers were batched together.");
        Assert.True(batchRows.Max() <= 16);
        Assert.Equal(0, model.PendingRequests);
    }
}
