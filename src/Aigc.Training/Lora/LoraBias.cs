using System.Text.Json.Serialization;

namespace Aigc.Training;

/// <summary>Which biases train with a LoRA adapter (PEFT's <c>bias</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoraBias>))]
public enum LoraBias
{
    /// <summary>No bias trains (<c>"none"</c>, the default).</summary>
    [JsonStringEnumMemberName("none")]
    None = 0,

    /// <summary>Every bias of the model trains and is saved with the adapter (<c>"all"</c>).</summary>
    [JsonStringEnumMemberName("all")]
    All = 1,

    /// <summary>Only the biases of the LoRA-wrapped modules train (<c>"lora_only"</c>).</summary>
    [JsonStringEnumMemberName("lora_only")]
    LoraOnly = 2,
}
