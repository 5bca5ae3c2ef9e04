using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>A text completion, whole or one streamed piece (<c>object: text_completion</c> in both cases, as OpenAI sends it).</summary>
internal sealed record TextCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("system_fingerprint")] string SystemFingerprint,
    [property: JsonPropertyName("choices")] IReadOnlyList<TextChoice> Choices)
{
    /// <summary>Gets the object type.</summary>
    [JsonPropertyName("object")]
    public string Object => "text_completion";

    /// <summary>Gets the usage: always on a whole completion; on the last chunk of a stream when asked for.</summary>
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Usage? Usage { get; init; }
}

/// <summary>One choice of a text completion.</summary>
internal sealed record TextChoice(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("finish_reason")] string? FinishReason)
{
    /// <summary>Gets the log-probabilities (never returned).</summary>
    [JsonPropertyName("logprobs")]
    public object? LogProbabilities => null;
}
