namespace Aigc.Inference;

/// <summary>Why a generated sequence ended.</summary>
public enum GenerationFinishReason
{
    /// <summary>The model produced a stop token (end of sequence), or the text matched a stop sequence.</summary>
    Stop = 0,

    /// <summary>The sequence reached its maximum number of new tokens or the model's context length.</summary>
    Length = 1,

    /// <summary>A guardrail stopped the output.</summary>
    ContentFilter = 2,
}
