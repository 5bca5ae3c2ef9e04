namespace Aigc.Inference;

/// <summary>
/// A model could not be loaded or served: the file is not a valid ONNX model, the requested execution provider is
/// not available, the warm-up run failed, or the model's shapes do not allow batching. The message says which and
/// what to do.
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class with a message and an inner exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause, usually an <c>OnnxRuntimeException</c>.</param>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
