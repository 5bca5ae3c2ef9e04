using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// The requests of one model execution, and what each of them gets back. Formed under the model's lock, run by
/// one executor, released (in order when <see cref="BatchingOptions.PreserveOrdering"/> is on) and then reused.
/// </summary>
internal sealed class Batch
{
    public Batch(int maxRequests)
    {
        Requests = new PendingRequest[maxRequests];
        Results = new InferenceResult?[maxRequests];
        Errors = new Exception?[maxRequests];
    }

    public PendingRequest[] Requests { get; }

    public InferenceResult?[] Results { get; }

    public Exception?[] Errors { get; }

    public int Count { get; set; }

    public int Rows { get; set; }

    /// <summary>The padded sequence length (the longest request's), or 0 without padding.</summary>
    public int SequenceLength { get; set; }

    public long FormedAt { get; set; }

    /// <summary>True while the model may be running the batch; guarded by the model's lock.</summary>
    public bool Running { get; set; }

    /// <summary>The number of requests whose callers canceled while the batch was running; guarded by the model's lock.</summary>
    public int CanceledCount { get; set; }

    /// <summary>The executor's run options, so that a batch whose callers all cancel can be terminated.</summary>
    public RunOptions? RunOptions { get; set; }

    /// <summary>Set when the executor is finished with the batch (ordering); guarded by the ordering lock.</summary>
    public bool Done { get; set; }

    /// <summary>The next batch in formation order (ordering).</summary>
    public Batch? NextInOrder { get; set; }

    public void Clear()
    {
        Array.Clear(Requests, 0, Count);
        Array.Clear(Results, 0, Count);
        Array.Clear(Errors, 0, Count);
        Count = 0;
        Rows = 0;
        SequenceLength = 0;
        FormedAt = 0;
        Running = false;
        CanceledCount = 0;
        RunOptions = null;
        Done = false;
        NextInOrder = null;
    }
}
