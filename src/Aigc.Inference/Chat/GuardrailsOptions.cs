namespace Aigc.Inference;

/// <summary>Settings of <see cref="GuardrailsChatClient"/>.</summary>
public sealed class GuardrailsOptions
{
    /// <summary>Gets the blocked terms, matched case-insensitively anywhere in the text.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> BlockedTerms { get; } = [];

    /// <summary>Gets or sets what happens when a prompt holds a blocked term.</summary>
    /// <value>The default value is <see cref="GuardrailAction.Stop"/>.</value>
    public GuardrailAction PromptAction { get; set; } = GuardrailAction.Stop;

    /// <summary>Gets or sets what happens when output holds a blocked term.</summary>
    /// <value>The default value is <see cref="GuardrailAction.Stop"/>.</value>
    public GuardrailAction OutputAction { get; set; } = GuardrailAction.Stop;

    /// <summary>Gets or sets the classifier applied to prompts and output, or <see langword="null"/> for none. A flagged text is always stopped.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IContentClassifier? Classifier { get; set; }

    /// <summary>Gets or sets how many new output characters the classifier waits for before it judges the output again (it always judges the end); streamed text is held until judged.</summary>
    /// <value>The default value is <c>64</c>.</value>
    public int ClassifierInterval { get; set; } = 64;

    /// <summary>Gets or sets the text that replaces a redacted term.</summary>
    /// <value>The default value is <c>[redacted]</c>.</value>
    public string Redaction { get; set; } = "[redacted]";

    /// <summary>Gets or sets the answer given instead of running a stopped prompt.</summary>
    /// <value>The default value is <c>I can't help with that request.</c>.</value>
    public string RefusalMessage { get; set; } = "I can't help with that request.";
}
