namespace Aigc.Inference;

/// <summary>Why a <see cref="BatchedModel"/> turned a request away.</summary>
public enum InferenceRejectionReason
{
    /// <summary>The queue held <see cref="BatchingOptions.MaxQueueSize"/> requests when the request arrived.</summary>
    QueueFull = 0,

    /// <summary>The request waited in the queue longer than its timeout.</summary>
    Timeout = 1,

    /// <summary>The model is shutting down (it is being disposed) and takes no new requests.</summary>
    ShuttingDown = 2,
}
