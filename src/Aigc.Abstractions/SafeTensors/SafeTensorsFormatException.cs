namespace Aigc;

/// <summary>
/// A safetensors file breaks the format: its header size, JSON header, a dtype, shape or data offsets, or the
/// coverage of its data buffer. The message names the file, the tensor and the rule broken. The file is corrupt,
/// truncated or not a safetensors file: export or download it again.
/// </summary>
/// <remarks>
/// It derives from <see cref="IOException"/> because <see cref="InvalidDataException"/>, the natural base, is sealed.
/// </remarks>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="SafeTensorsFormatException"/> class.</summary>
    public SafeTensorsFormatException()
        : base("The safetensors file is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SafeTensorsFormatException"/> class with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public SafeTensorsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SafeTensorsFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The exception that revealed it.</param>
    public SafeTensorsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SafeTensorsFormatException"/> class naming the file, the tensor and the rule.</summary>
    /// <param name="filePath">The file, or <see langword="null"/> for a stream.</param>
    /// <param name="tensorName">The tensor, or <see langword="null"/> when the rule is not about one tensor.</param>
    /// <param name="rule">The rule broken, as a sentence fragment.</param>
    /// <param name="innerException">The exception that revealed it, if any.</param>
    internal SafeTensorsFormatException(string? filePath, string? tensorName, string rule, Exception? innerException = null)
        : base(Compose(filePath, tensorName, rule), innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>Gets the path of the file, or <see langword="null"/> when it was read from a stream or is unknown.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the name of the tensor whose entry breaks the format, or <see langword="null"/> when the rule is not about one tensor.</summary>
    public string? TensorName { get; }

    private static string Compose(string? filePath, string? tensorName, string rule)
    {
        var source = filePath is null ? "Invalid safetensors stream" : $"Invalid safetensors file '{filePath}'";
        return tensorName is null
            ? $"{source}: {rule}."
            : $"{source}: tensor {SafeTensorsText.Quote(tensorName)}: {rule}.";
    }
}
