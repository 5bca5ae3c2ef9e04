namespace Aigc.Inference;

/// <summary>What a guardrail does with a blocked term.</summary>
public enum GuardrailAction
{
    /// <summary>Stop: a prompt is not sent to the model; output ends before the term, with finish reason content filter.</summary>
    Stop = 0,

    /// <summary>Redact: the term is replaced by <see cref="GuardrailsOptions.Redaction"/> and the conversation goes on.</summary>
    Redact = 1,
}
