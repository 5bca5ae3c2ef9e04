namespace Aigc.Inference;

/// <summary>
/// A request does not fit the model: an unknown or missing input, a wrong element type, rank or fixed dimension,
/// or a batch dimension the batcher cannot take. Thrown before ONNX Runtime sees the request; the message names the
/// input and says what the model expects.
/// </summary>
public sealed class ModelInputException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="ModelInputException"/> class.</summary>
    public ModelInputException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelInputException"/> class with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ModelInputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelInputException"/> class with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ModelInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelInputException"/> class for one input.</summary>
    /// <param name="inputName">The input the problem is with, or <see langword="null"/> when it concerns the whole request.</param>
    /// <param name="message">What is wrong and what the model expects.</param>
    public ModelInputException(string? inputName, string message)
        : base(message)
    {
        InputName = inputName;
    }

    /// <summary>Gets the name of the input the problem is with, or <see langword="null"/> when it concerns the whole request.</summary>
    public string? InputName { get; }
}
