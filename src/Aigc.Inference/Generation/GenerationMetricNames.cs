namespace Aigc.Inference;

/// <summary>
/// The names of the generation engine's metrics and their attributes, in one place: the OpenTelemetry GenAI
/// conventions they follow are still in development and may rename them.
/// </summary>
public static class GenerationMetricNames
{
    /// <summary>The meter every Aigc.Inference instrument belongs to.</summary>
    public const string MeterName = "Aigc.Inference";

    /// <summary>Histogram (s): time from a request's arrival to its last token.</summary>
    public const string RequestDuration = "gen_ai.server.request.duration";

    /// <summary>Histogram (s): time from a request's arrival to its first token.</summary>
    public const string TimeToFirstToken = "gen_ai.server.time_to_first_token";

    /// <summary>Histogram (s): per request, the mean time of each output token after the first.</summary>
    public const string TimePerOutputToken = "gen_ai.server.time_per_output_token";

    /// <summary>Histogram ({token}): input and output tokens per request, told apart by <see cref="TokenType"/>.</summary>
    public const string TokenUsage = "gen_ai.client.token.usage";

    /// <summary>Gauge ({sequence}): sequences decoding or prefilling now.</summary>
    public const string RunningSequences = "aigc.inference.generation.running_sequences";

    /// <summary>Gauge ({sequence}): requests waiting for a place to run.</summary>
    public const string WaitingSequences = "aigc.inference.generation.waiting_sequences";

    /// <summary>Gauge (1): the fraction of the allocated KV cache that holds cached positions.</summary>
    public const string KvCacheUsage = "aigc.inference.generation.kv_cache.usage";

    /// <summary>Gauge (By): the bytes allocated for the KV cache.</summary>
    public const string KvCacheBytes = "aigc.inference.generation.kv_cache.size";

    /// <summary>Attribute: the operation, <see cref="ChatOperation"/> or <see cref="TextCompletionOperation"/>.</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary>Attribute: the provider, <see cref="ProviderName"/>.</summary>
    public const string Provider = "gen_ai.provider.name";

    /// <summary>Attribute: the model a request asked for.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary>Attribute: the model that answered.</summary>
    public const string ResponseModel = "gen_ai.response.model";

    /// <summary>Attribute: the token type of <see cref="TokenUsage"/>, <see cref="InputTokenType"/> or <see cref="OutputTokenType"/>.</summary>
    public const string TokenType = "gen_ai.token.type";

    /// <summary>Attribute: the error type of a failed or cancelled request.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The provider name these metrics carry.</summary>
    public const string ProviderName = "aigc";

    /// <summary>The operation name of chat requests.</summary>
    public const string ChatOperation = "chat";

    /// <summary>The operation name of text completion requests.</summary>
    public const string TextCompletionOperation = "text_completion";

    /// <summary>The token type of prompt tokens.</summary>
    public const string InputTokenType = "input";

    /// <summary>The token type of generated tokens.</summary>
    public const string OutputTokenType = "output";
}
