namespace Aigc.Data;

/// <summary>
/// A whole file cannot be read (missing, truncated, not in the expected format, over a size limit); the message
/// names the file and what was wrong. Problems with single records never throw: they go to the rejects file.
/// </summary>
public sealed class DataFileException : IOException
{
    /// <summary>Initializes a new instance with a message.</summary>
    public DataFileException()
        : base("A data file could not be read.")
    {
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public DataFileException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DataFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance naming the file.</summary>
    /// <param name="filePath">The file that could not be read.</param>
    /// <param name="message">What was wrong (the file name is prefixed).</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataFileException(string filePath, string message, Exception? innerException)
        : base($"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>Gets the file that could not be read.</summary>
    public string FilePath { get; }
}
