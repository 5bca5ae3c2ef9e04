namespace Aigc.Inference;

/// <summary>Which way text flows past a guardrail.</summary>
public enum ContentDirection
{
    /// <summary>The messages sent to the model.</summary>
    Prompt = 0,

    /// <summary>The model's output.</summary>
    Output = 1,
}
