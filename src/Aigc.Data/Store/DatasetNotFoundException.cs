namespace Aigc.Data;

/// <summary>A dataset version that was asked for does not exist in the store.</summary>
public sealed class DatasetNotFoundException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public DatasetNotFoundException()
        : base("The dataset version does not exist.")
    {
        Name = string.Empty;
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public DatasetNotFoundException(string message)
        : base(message)
    {
        Name = string.Empty;
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Name = string.Empty;
    }

    /// <summary>Initializes a new instance naming the missing version.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number.</param>
    public DatasetNotFoundException(string name, int version)
        : base($"Dataset '{name}' has no version {version}. List the versions with IDatasetStore.ListAsync(\"{name}\").")
    {
        Name = name;
        Version = version;
    }

    /// <summary>Gets the dataset name.</summary>
    public string Name { get; }

    /// <summary>Gets the version number.</summary>
    public int Version { get; }
}
