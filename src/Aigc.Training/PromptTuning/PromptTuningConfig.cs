using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Training;

/// <summary>
/// A prompt-tuning adapter's settings, serialised as PEFT's <c>adapter_config.json</c> for
/// <c>PromptTuningConfig</c> (<c>peft_type: "PROMPT_TUNING"</c>), so the adapter loads in PEFT and PEFT's loads here.
/// </summary>
/// <remarks>
/// <see cref="TokenDim"/>, <see cref="NumAttentionHeads"/> and <see cref="NumLayers"/> may be left unset: as PEFT's
/// <c>_prepare_prompt_learning_config</c> does, <see cref="PromptTuningModel.Create"/> fills them from the base model's
/// configuration, and it refuses values that contradict the model.
/// </remarks>
public sealed record PromptTuningConfig
{
    /// <summary>The <c>peft_type</c> of prompt tuning.</summary>
    public const string PromptTuningPeftType = "PROMPT_TUNING";

    /// <summary>Gets the PEFT method, always <c>PROMPT_TUNING</c>.</summary>
    [JsonPropertyName("peft_type")]
    public string PeftType { get; init; } = PromptTuningPeftType;

    /// <summary>Gets the task type.</summary>
    /// <value>The default value is <c>CAUSAL_LM</c>.</value>
    [JsonPropertyName("task_type")]
    public string TaskType { get; init; } = "CAUSAL_LM";

    /// <summary>Gets the number of virtual tokens prepended to every input.</summary>
    /// <value>The default value is <c>20</c>.</value>
    [JsonPropertyName("num_virtual_tokens")]
    public int NumVirtualTokens { get; init; } = 20;

    /// <summary>Gets the width of a virtual token (the model's <c>n_embd</c>), or <see langword="null"/> to take it from the model.</summary>
    [JsonPropertyName("token_dim")]
    public int? TokenDim { get; init; }

    /// <summary>Gets the number of transformer stacks that get virtual tokens: 1 for a decoder-only model.</summary>
    /// <value>The default value is <c>1</c>.</value>
    [JsonPropertyName("num_transformer_submodules")]
    public int NumTransformerSubmodules { get; init; } = 1;

    /// <summary>Gets the model's number of attention heads, or <see langword="null"/> to take it from the model.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int? NumAttentionHeads { get; init; }

    /// <summary>Gets the model's number of layers, or <see langword="null"/> to take it from the model.</summary>
    [JsonPropertyName("num_layers")]
    public int? NumLayers { get; init; }

    /// <summary>Gets how the virtual tokens start.</summary>
    /// <value>The default value is <see cref="PromptTuningInit.Random"/>.</value>
    [JsonPropertyName("prompt_tuning_init")]
    public PromptTuningInit Init { get; init; } = PromptTuningInit.Random;

    /// <summary>Gets the text whose token embeddings start the virtual tokens when <see cref="Init"/> is <see cref="PromptTuningInit.Text"/>.</summary>
    [JsonPropertyName("prompt_tuning_init_text")]
    public string? InitText { get; init; }

    /// <summary>
    /// Gets the tokenizer's name or path, for the record; PEFT requires it with <see cref="PromptTuningInit.Text"/>
    /// (it loads the tokenizer by this name), so it is required here too, to keep the file loadable by PEFT.
    /// </summary>
    [JsonPropertyName("tokenizer_name_or_path")]
    public string? TokenizerNameOrPath { get; init; }

    /// <summary>Gets the base model's name or path, for the record.</summary>
    [JsonPropertyName("base_model_name_or_path")]
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>Gets whether the adapter was saved for inference only.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    [JsonPropertyName("inference_mode")]
    public bool InferenceMode { get; init; } = true;

    /// <summary>Checks the settings and throws one error listing every problem.</summary>
    /// <exception cref="NotSupportedException">A setting is invalid or not supported.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (PeftType != PromptTuningPeftType) problems.Add($"peft_type '{PeftType}' is not {PromptTuningPeftType}");
        if (TaskType != "CAUSAL_LM") problems.Add($"task_type '{TaskType}' is not supported; supported: CAUSAL_LM");
        if (NumVirtualTokens < 1) problems.Add($"num_virtual_tokens must be positive (is {NumVirtualTokens})");
        if (NumTransformerSubmodules != 1) problems.Add($"num_transformer_submodules must be 1 for a decoder-only model (is {NumTransformerSubmodules})");
        if (TokenDim is < 1) problems.Add($"token_dim must be positive (is {TokenDim})");
        if (!Enum.IsDefined(Init)) problems.Add($"prompt_tuning_init {(int)Init} is not defined");
        if (Init == PromptTuningInit.Text && string.IsNullOrEmpty(InitText)) problems.Add("prompt_tuning_init TEXT needs prompt_tuning_init_text");
        if (Init == PromptTuningInit.Text && string.IsNullOrEmpty(TokenizerNameOrPath)) problems.Add("prompt_tuning_init TEXT needs tokenizer_name_or_path (PEFT refuses the file without it)");
        if (problems.Count > 0)
        {
            throw new NotSupportedException("Invalid prompt-tuning configuration: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>Returns the configuration as PEFT's indented <c>adapter_config.json</c> text.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads PEFT's <c>adapter_config.json</c> text of a prompt-tuning adapter.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The configuration, validated.</returns>
    /// <exception cref="InvalidDataException">The text is not a valid prompt-tuning configuration.</exception>
    public static PromptTuningConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        PromptTuningConfig config;
        try
        {
            config = JsonSerializer.Deserialize<PromptTuningConfig>(json, JsonOptions) ?? throw new InvalidDataException("The adapter configuration is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a valid prompt-tuning adapter configuration: {e.Message}", e);
        }

        try
        {
            config.Validate();
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        return config;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
