using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>A chat completion (<c>object: chat.completion</c>).</summary>
internal sealed record ChatCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("system_fingerprint")] string SystemFingerprint,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatChoice> Choices,
    [property: JsonPropertyName("usage")] Usage Usage)
{
    /// <summary>Gets the object type.</summary>
    [JsonPropertyName("object")]
    public string Object => "chat.completion";
}

/// <summary>One choice of a chat completion.</summary>
internal sealed record ChatChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] AssistantMessage Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason)
{
    /// <summary>Gets the log-probabilities (never returned).</summary>
    [JsonPropertyName("logprobs")]
    public object? LogProbabilities => null;
}

/// <summary>The assistant's message.</summary>
internal sealed record AssistantMessage([property: JsonPropertyName("content")] string Content)
{
    /// <summary>Gets the role.</summary>
    [JsonPropertyName("role")]
    [JsonPropertyOrder(-1)]
    public string Role => "assistant";

    /// <summary>Gets the refusal (never set).</summary>
    [JsonPropertyName("refusal")]
    public string? Refusal => null;
}

/// <summary>A streamed piece of a chat completion (<c>object: chat.completion.chunk</c>).</summary>
internal sealed record ChatCompletionChunk(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("system_fingerprint")] string SystemFingerprint,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatChunkChoice> Choices)
{
    /// <summary>Gets the object type.</summary>
    [JsonPropertyName("object")]
    public string Object => "chat.completion.chunk";

    /// <summary>Gets the usage, on the last chunk when the request asked for it.</summary>
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Usage? Usage { get; init; }
}

/// <summary>One choice of a chunk.</summary>
internal sealed record ChatChunkChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("delta")] ChatDelta Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason)
{
    /// <summary>Gets the log-probabilities (never returned).</summary>
    [JsonPropertyName("logprobs")]
    public object? LogProbabilities => null;
}

/// <summary>What a chunk adds to the message: the role on the first chunk, then content.</summary>
internal sealed record ChatDelta(
    [property: JsonPropertyName("role")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonPropertyName("content")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

/// <summary>Token counts of a request.</summary>
internal sealed record Usage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens)
{
    /// <summary>Gets the sum of prompt and completion tokens.</summary>
    [JsonPropertyName("total_tokens")]
    public int TotalTokens => PromptTokens + CompletionTokens;
}
