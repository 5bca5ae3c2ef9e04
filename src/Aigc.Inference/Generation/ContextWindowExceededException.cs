namespace Aigc.Inference;

/// <summary>A prompt does not fit the model's context window.</summary>
public sealed class ContextWindowExceededException : ArgumentException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public ContextWindowExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public ContextWindowExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    public ContextWindowExceededException()
    {
    }

    /// <summary>Initializes a new instance for a prompt of <paramref name="promptTokens"/> tokens and a window of <paramref name="contextLength"/>.</summary>
    /// <param name="promptTokens">The prompt's length in tokens.</param>
    /// <param name="contextLength">The model's context length in tokens.</param>
    public ContextWindowExceededException(int promptTokens, int contextLength)
        : base($"The prompt has {promptTokens} tokens, but the model's context window holds {contextLength} tokens for prompt and output together, so at most {contextLength - 1} prompt tokens. Shorten the prompt (for example drop earlier messages).", "request")
    {
        PromptTokens = promptTokens;
        ContextLength = contextLength;
    }

    /// <summary>Gets the prompt's length in tokens.</summary>
    public int PromptTokens { get; }

    /// <summary>Gets the model's context length in tokens.</summary>
    public int ContextLength { get; }
}
