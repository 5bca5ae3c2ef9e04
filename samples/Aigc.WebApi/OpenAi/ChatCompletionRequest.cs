using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>The body of <c>POST /v1/chat/completions</c>, as OpenAI defines it (the fields this host reads).</summary>
internal sealed class ChatCompletionRequest : SamplingRequest
{
    /// <summary>Gets or sets the conversation so far.</summary>
    [JsonPropertyName("messages")]
    public List<ChatMessageDto>? Messages { get; set; }

    /// <summary>Gets or sets the newer name of <see cref="SamplingRequest.MaxTokens"/>; it wins when both are given.</summary>
    [JsonPropertyName("max_completion_tokens")]
    public int? MaxCompletionTokens { get; set; }

    /// <summary>Gets or sets whether to return log-probabilities (not supported: refused with 400 when true).</summary>
    [JsonPropertyName("logprobs")]
    public bool? LogProbabilities { get; set; }
}

/// <summary>One message of a chat request.</summary>
internal sealed class ChatMessageDto
{
    /// <summary>Gets or sets the role: <c>system</c>, <c>developer</c>, <c>user</c> or <c>assistant</c>.</summary>
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    /// <summary>Gets or sets the content: a string, or an array of <c>{"type":"text","text":…}</c> parts.</summary>
    [JsonPropertyName("content")]
    public JsonElement Content { get; set; }

    /// <summary>Gets or sets the author's name (kept for compatibility; not rendered).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
