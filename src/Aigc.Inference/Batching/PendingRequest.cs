using System.Threading.Tasks.Sources;

namespace Aigc.Inference;

/// <summary>
/// A queued request: the pooled, reusable completion source behind the <see cref="ValueTask{TResult}"/> that
/// <see cref="BatchedModel.InferAsync"/> returns, and a node of its priority level's intrusive queue.
/// It returns to the pool when the caller has read the result.
/// </summary>
internal sealed class PendingRequest : IValueTaskSource<InferenceResult>
{
    public const int Created = 0;
    public const int Queued = 1;
    public const int Running = 2;
    public const int Completed = 3;

    private readonly BatchedModel _owner;
    private ManualResetValueTaskSourceCore<InferenceResult> _core;

    public PendingRequest(BatchedModel owner, int inputCount)
    {
        _owner = owner;
        Tensors = new InferenceTensor?[inputCount];
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>The request's tensors in model-input order (null for the mask the batcher builds).</summary>
    public InferenceTensor?[] Tensors { get; }

    public int Rows { get; set; }

    /// <summary>The length of the padded (sequence) dimension, or 0 when the model has no padded input.</summary>
    public int SequenceLength { get; set; }

    /// <summary>The zero-based priority level (0 is level 1, the highest).</summary>
    public int Level { get; set; }

    public long EnqueuedAt { get; set; }

    /// <summary>The timestamp past which the request is rejected while queued; <see cref="long.MaxValue"/> for none.</summary>
    public long Deadline { get; set; }

    /// <summary>One of <see cref="Created"/>, <see cref="Queued"/>, <see cref="Running"/>, <see cref="Completed"/>; changed under the model's lock.</summary>
    public int State { get; set; }

    /// <summary>Set (under the model's lock) when the caller's token fired.</summary>
    public volatile bool CancelRequested;

    public CancellationToken CancellationToken { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public Batch? Batch { get; set; }

    /// <summary>The request's span, or null when nobody listens (see <see cref="BatchTracing"/>).</summary>
    public System.Diagnostics.Activity? Activity { get; set; }

    public BatchedModel Owner => _owner;

    public PendingRequest? Previous { get; set; }

    public PendingRequest? Next { get; set; }

    public short Version => _core.Version;

    public ValueTask<InferenceResult> AsValueTask() => new(this, _core.Version);

    public void SetResult(InferenceResult result) => _core.SetResult(result);

    public void SetException(Exception exception) => _core.SetException(exception);

    public InferenceResult GetResult(short token)
    {
        if (token != _core.Version)
        {
            throw new InvalidOperationException("The ValueTask returned by InferAsync was awaited twice or after its result was read; await it once, or call AsTask().");
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Reset();
            _owner.ReturnToPool(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private void Reset()
    {
        Array.Clear(Tensors);
        Rows = 0;
        SequenceLength = 0;
        Level = 0;
        EnqueuedAt = 0;
        Deadline = long.MaxValue;
        State = Created;
        CancelRequested = false;
        CancellationToken = default;
        Registration = default;
        Batch = null;
        Activity = null;
        Previous = null;
        Next = null;
        _core.Reset();
    }
}
