namespace Aigc;

/// <summary>
/// A model registry refused an operation: a conflict (the model already exists), a version in the wrong status
/// (an alias on a pending version), or a store that cannot be used. The message says what to do.
/// </summary>
public class ModelRegistryException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public ModelRegistryException()
        : base("The model registry refused the operation.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelRegistryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelRegistryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
