using System.Text.Json.Serialization;

namespace Aigc.Training;

/// <summary>How prompt-tuning's virtual-token embeddings start (PEFT's <c>prompt_tuning_init</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromptTuningInit>))]
public enum PromptTuningInit
{
    /// <summary>Drawn from a standard normal, as a fresh <c>torch.nn.Embedding</c> (<c>"RANDOM"</c>, the default).</summary>
    [JsonStringEnumMemberName("RANDOM")]
    Random = 0,

    /// <summary>
    /// The base model's token embeddings of <see cref="PromptTuningConfig.InitText"/>, its ids cut to, or repeated up
    /// to, the number of virtual tokens (<c>"TEXT"</c>).
    /// </summary>
    [JsonStringEnumMemberName("TEXT")]
    Text = 1,
}
