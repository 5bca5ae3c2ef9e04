using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.WebApi.Feedback;

/// <summary>
/// The body of <c>POST /v1/feedback</c>: a score on one response, shaped like a Langfuse score. <see cref="Id"/> is the
/// idempotency key: sending the same id again stores nothing new.
/// </summary>
internal sealed class FeedbackRequest
{
    /// <summary>Gets or sets the feedback's id (client-made, at most 200 characters; retries reuse it).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>Gets or sets the id of the completion the feedback is about (<c>chatcmpl-…</c>).</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; set; }

    /// <summary>Gets or sets the model id the completion came from (as in <c>/v1/models</c>).</summary>
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>Gets or sets the score's name: <c>thumbs</c> (boolean), <c>rating</c> (number), or any name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Gets or sets the value: a boolean, a number or a category string.</summary>
    [JsonPropertyName("value")]
    public JsonElement Value { get; set; }

    /// <summary>Gets or sets a free-text comment.</summary>
    [JsonPropertyName("comment")]
    public string? Comment { get; set; }

    /// <summary>Gets or sets the answer the user says would have been right.</summary>
    [JsonPropertyName("correction")]
    public string? Correction { get; set; }

    /// <summary>Gets or sets the prompt of the exchange (kept so feedback can become a dataset).</summary>
    [JsonPropertyName("prompt")]
    public string? Prompt { get; set; }

    /// <summary>Gets or sets the model's response.</summary>
    [JsonPropertyName("response")]
    public string? Response { get; set; }
}
