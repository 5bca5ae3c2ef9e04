using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>The body of <c>POST /v1/completions</c>, as OpenAI defines it (the fields this host reads).</summary>
internal sealed class CompletionRequest : SamplingRequest
{
    /// <summary>Gets or sets the prompt: a string, or an array holding one string.</summary>
    [JsonPropertyName("prompt")]
    public JsonElement Prompt { get; set; }

    /// <summary>Gets or sets whether to return the prompt before the completion.</summary>
    [JsonPropertyName("echo")]
    public bool? Echo { get; set; }

    /// <summary>Gets or sets text to put after the completion (not supported: refused with 400 when set).</summary>
    [JsonPropertyName("suffix")]
    public string? Suffix { get; set; }

    /// <summary>Gets or sets how many log-probabilities to return (not supported: refused with 400 when set).</summary>
    [JsonPropertyName("logprobs")]
    public int? LogProbabilities { get; set; }

    /// <summary>Gets or sets server-side candidates per choice (only 1 is supported).</summary>
    [JsonPropertyName("best_of")]
    public int? BestOf { get; set; }
}
