using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>An error body in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAiError([property: JsonPropertyName("error")] OpenAiErrorDetail Error);

/// <summary>The detail of an error.</summary>
internal sealed record OpenAiErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
