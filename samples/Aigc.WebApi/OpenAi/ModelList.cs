using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
internal sealed record ModelList([property: JsonPropertyName("data")] IReadOnlyList<ModelInfo> Data)
{
    /// <summary>Gets the object type.</summary>
    [JsonPropertyName("object")]
    public string Object => "list";
}

/// <summary>One servable model id: a model version, or one of its LoRA adapters (<c>model:adapter</c>).</summary>
/// <param name="Id">The id to send as <c>model</c>.</param>
/// <param name="Created">When it started serving (Unix seconds).</param>
/// <param name="Root">The served model's id (for an adapter, the model it adapts).</param>
/// <param name="Version">The registry version served.</param>
/// <param name="Adapter">The adapter's name, or <see langword="null"/> for the base model.</param>
internal sealed record ModelInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("root")] string Root,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("adapter")] string? Adapter)
{
    /// <summary>Gets the object type.</summary>
    [JsonPropertyName("object")]
    public string Object => "model";

    /// <summary>Gets the owner.</summary>
    [JsonPropertyName("owned_by")]
    public string OwnedBy => "aigc";
}
