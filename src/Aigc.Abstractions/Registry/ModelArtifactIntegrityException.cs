namespace Aigc;

/// <summary>
/// A stored model file is missing or no longer matches the SHA-256 recorded when it was registered (it was changed
/// or damaged on disk). The registry refuses to hand it out; restore the file or register the version again.
/// </summary>
public sealed class ModelArtifactIntegrityException : ModelRegistryException
{
    /// <summary>Initializes a new instance.</summary>
    public ModelArtifactIntegrityException()
        : base("A stored model file does not match its recorded SHA-256.")
    {
        ArtifactPath = string.Empty;
        ExpectedSha256 = string.Empty;
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelArtifactIntegrityException(string message)
        : base(message)
    {
        ArtifactPath = string.Empty;
        ExpectedSha256 = string.Empty;
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelArtifactIntegrityException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ArtifactPath = string.Empty;
        ExpectedSha256 = string.Empty;
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance describing the damaged file.</summary>
    /// <param name="message">The message.</param>
    /// <param name="artifactPath">The file's path inside the model version.</param>
    /// <param name="filePath">The stored file on disk.</param>
    /// <param name="expectedSha256">The recorded SHA-256.</param>
    /// <param name="actualSha256">The SHA-256 of the file as found, or <see langword="null"/> when it is missing or has the wrong size.</param>
    public ModelArtifactIntegrityException(string message, string artifactPath, string filePath, string expectedSha256, string? actualSha256)
        : base(message)
    {
        ArtifactPath = artifactPath;
        FilePath = filePath;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>Gets the file's path inside the model version.</summary>
    public string ArtifactPath { get; }

    /// <summary>Gets the stored file on disk.</summary>
    public string FilePath { get; }

    /// <summary>Gets the SHA-256 recorded at registration.</summary>
    public string ExpectedSha256 { get; }

    /// <summary>Gets the SHA-256 of the file as found, or <see langword="null"/> when it is missing or has the wrong size.</summary>
    public string? ActualSha256 { get; }
}
