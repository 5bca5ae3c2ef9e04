namespace Aigc.Inference.Tests.Fixtures;

/// <summary>Holds an executor inside <c>BeforeExecute</c> for chosen batches, and records every batch's requests.</summary>
internal sealed class Gate : IDisposable
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly List<InferenceTensor[]> _batches = [];
    private int _held;
    private int _toHold;

    public Gate(BatchedModel model, int holdFirst = 1)
    {
        _toHold = holdFirst;
        model.BeforeExecute = OnBatch;
    }

    public int Held => Volatile.Read(ref _held);

    /// <summary>The first input tensor of each request, per batch, in execution order.</summary>
    public IReadOnlyList<InferenceTensor[]> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    public void Open() => _open.Set();

    public void Dispose()
    {
        _open.Set();
        _open.Dispose();
    }

    private void OnBatch(Batch batch)
    {
        var tensors = new InferenceTensor[batch.Count];
        for (var k = 0; k < batch.Count; k++)
        {
            tensors[k] = batch.Requests[k].Tensors[0]!;
        }

        lock (_batches)
        {
            _batches.Add(tensors);
        }

        if (Interlocked.Decrement(ref _toHold) >= 0)
        {
            Interlocked.Increment(ref _held);
            _open.Wait();
        }
    }
}
