using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>The fields chat and text completion requests share.</summary>
internal abstract class SamplingRequest
{
    /// <summary>Gets or sets the model id from <c>/v1/models</c> (a model or <c>model:adapter</c>).</summary>
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>Gets or sets whether to stream the answer as server-sent events.</summary>
    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

    /// <summary>Gets or sets the streaming options (<c>include_usage</c>).</summary>
    [JsonPropertyName("stream_options")]
    public StreamOptionsDto? StreamOptions { get; set; }

    /// <summary>Gets or sets the most tokens to generate.</summary>
    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; set; }

    /// <summary>Gets or sets the temperature, 0 to 2 (unset: greedy decoding unless <c>top_p</c> is set).</summary>
    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the nucleus, in (0, 1].</summary>
    [JsonPropertyName("top_p")]
    public float? TopP { get; set; }

    /// <summary>Gets or sets how many choices to generate (only 1 is supported).</summary>
    [JsonPropertyName("n")]
    public int? N { get; set; }

    /// <summary>Gets or sets up to 4 stop sequences: a string or an array of strings.</summary>
    [JsonPropertyName("stop")]
    public JsonElement Stop { get; set; }

    /// <summary>Gets or sets the seed (the same seed gives the same tokens).</summary>
    [JsonPropertyName("seed")]
    public long? Seed { get; set; }

    /// <summary>Gets or sets the presence penalty, −2 to 2.</summary>
    [JsonPropertyName("presence_penalty")]
    public float? PresencePenalty { get; set; }

    /// <summary>Gets or sets the frequency penalty, −2 to 2.</summary>
    [JsonPropertyName("frequency_penalty")]
    public float? FrequencyPenalty { get; set; }

    /// <summary>Gets or sets the end user's id (accepted, not stored).</summary>
    [JsonPropertyName("user")]
    public string? User { get; set; }
}

/// <summary>The <c>stream_options</c> of a request.</summary>
internal sealed class StreamOptionsDto
{
    /// <summary>Gets or sets whether a last chunk with the usage (and no choices) is sent before <c>[DONE]</c>.</summary>
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; set; }
}
