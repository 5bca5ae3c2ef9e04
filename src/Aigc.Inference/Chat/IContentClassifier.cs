namespace Aigc.Inference;

/// <summary>A pluggable content classifier for <see cref="GuardrailsChatClient"/> (a moderation model, a rules engine, a remote service).</summary>
public interface IContentClassifier
{
    /// <summary>Classifies a text.</summary>
    /// <param name="text">The prompt, or the output so far.</param>
    /// <param name="direction">Whether the text is a prompt or output.</param>
    /// <param name="cancellationToken">Cancels the classification.</param>
    /// <returns>The verdict.</returns>
    ValueTask<ContentVerdict> ClassifyAsync(string text, ContentDirection direction, CancellationToken cancellationToken);
}
