namespace Aigc;

/// <summary>A registered model, version, alias or artifact that was asked for does not exist.</summary>
public sealed class ModelNotFoundException : ModelRegistryException
{
    /// <summary>Initializes a new instance.</summary>
    public ModelNotFoundException()
        : base("The model does not exist in the registry.")
    {
        Name = string.Empty;
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelNotFoundException(string message)
        : base(message)
    {
        Name = string.Empty;
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Name = string.Empty;
    }

    /// <summary>Initializes a new instance naming what is missing.</summary>
    /// <param name="message">The message.</param>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number, or <see langword="null"/>.</param>
    /// <param name="alias">The alias, or <see langword="null"/>.</param>
    public ModelNotFoundException(string message, string name, int? version, string? alias)
        : base(message)
    {
        Name = name;
        Version = version;
        Alias = alias;
    }

    /// <summary>Gets the model name that was asked for.</summary>
    public string Name { get; }

    /// <summary>Gets the version number that was asked for, or <see langword="null"/>.</summary>
    public int? Version { get; }

    /// <summary>Gets the alias that was asked for, or <see langword="null"/>.</summary>
    public string? Alias { get; }
}
