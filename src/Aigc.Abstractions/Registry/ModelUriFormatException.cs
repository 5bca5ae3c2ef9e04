namespace Aigc;

/// <summary>A text given as a model URI is not one; the message says what is wrong and shows the two valid forms.</summary>
public sealed class ModelUriFormatException : FormatException
{
    /// <summary>Initializes a new instance.</summary>
    public ModelUriFormatException()
        : base("The text is not a model URI. Use models:/<name>/<version> or models:/<name>@<alias>.")
    {
        Text = string.Empty;
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelUriFormatException(string message)
        : base(message)
    {
        Text = string.Empty;
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelUriFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Text = string.Empty;
    }

    /// <summary>Initializes a new instance for a text that failed to parse.</summary>
    /// <param name="text">The text.</param>
    /// <param name="reason">What is wrong with it.</param>
    public ModelUriFormatException(string text, string reason)
        : base($"'{text}' is not a model URI: {reason}. Use models:/<name>/<version> (for example models:/writer/3) " +
               "or models:/<name>@<alias> (for example models:/writer@champion).")
    {
        Text = text;
    }

    /// <summary>Gets the text that failed to parse.</summary>
    public string Text { get; }
}
