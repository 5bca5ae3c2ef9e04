namespace Aigc.Inference;

/// <summary>
/// A <see cref="BatchedModel"/> turned a request away without running it: the queue was full, the request waited
/// past its timeout, or the model is shutting down. <see cref="Reason"/> says which; retrying later (with backoff)
/// is the usual answer to the first two.
/// </summary>
public sealed class InferenceRejectedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="InferenceRejectedException"/> class.</summary>
    public InferenceRejectedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InferenceRejectedException"/> class with a message.</summary>
    /// <param name="message">Why the request was rejected.</param>
    public InferenceRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InferenceRejectedException"/> class with a message and an inner exception.</summary>
    /// <param name="message">Why the request was rejected.</param>
    /// <param name="innerException">The cause.</param>
    public InferenceRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InferenceRejectedException"/> class for a model and a reason.</summary>
    /// <param name="modelName">The model that rejected the request.</param>
    /// <param name="reason">Why.</param>
    /// <param name="message">A message that says why and what to do.</param>
    public InferenceRejectedException(string modelName, InferenceRejectionReason reason, string message)
        : base(message)
    {
        ModelName = modelName;
        Reason = reason;
    }

    /// <summary>Gets the name of the model that rejected the request.</summary>
    public string? ModelName { get; }

    /// <summary>Gets why the request was rejected.</summary>
    public InferenceRejectionReason Reason { get; }
}
