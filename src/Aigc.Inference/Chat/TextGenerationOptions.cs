using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;

namespace Aigc.Inference;

/// <summary>
/// Settings of one served text-generation model, registered with
/// <c>AddTextGeneration(key, ...)</c> and bound from <c>Aigc:Inference:TextGeneration:&lt;key&gt;</c>.
/// </summary>
public sealed class TextGenerationOptions
{
    /// <summary>The configuration sub-section of <c>Aigc:Inference</c> that holds one section per model key.</summary>
    public const string SectionName = "TextGeneration";

    /// <summary>Gets or sets the engine's settings: the model file and the scheduler's limits.</summary>
    /// <value>The default value has no model path; it must be set unless <see cref="Model"/> is.</value>
    [Required]
    public GenerationEngineOptions Engine { get; set; } = new();

    /// <summary>
    /// Gets or sets a registered model to serve instead of <see cref="GenerationEngineOptions.ModelPath"/>:
    /// <c>@champion</c> (an alias of the model named like the key), <c>models:/writer@champion</c> or
    /// <c>models:/writer/3</c>. The keyed <see cref="IChatClient"/> is then a <see cref="RoutedChatClient"/> over a keyed
    /// <see cref="ModelRouter{TModel}"/> of <see cref="TextGenerator"/>s that follows the alias; it needs
    /// <c>AddModelRegistry()</c>. Versions change under it, so the keyed engine, generator and Semantic Kernel services
    /// are not available for such a model.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the router's canary routes, shadow and retry settings, for a registered <see cref="Model"/>.</summary>
    /// <value>The default value is a <see cref="ModelRouterOptions"/> with its defaults.</value>
    public ModelRouterOptions Routing { get; set; } = new();

    /// <summary>Gets or sets the tokenizer: a model or encoding name <c>TiktokenTokenizer.CreateForModel</c> knows offline (GPT-2's data ships with the package).</summary>
    /// <value>The default value is <c>gpt2</c>.</value>
    [Required]
    public string Tokenizer { get; set; } = "gpt2";

    /// <summary>Gets or sets the chat template by name, <c>chatml</c> or <c>plain</c>, used when <see cref="Template"/> and <see cref="TemplateDefinition"/> are not set.</summary>
    /// <value>The default value is <c>chatml</c>.</value>
    [RegularExpression("^(chatml|plain)$")]
    public string TemplateName { get; set; } = "chatml";

    /// <summary>Gets or sets a chat template definition as Aigc.Data's <c>ChatTemplate.Parameters</c> writes it (for example from a dataset's sidecar file).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Dictionary<string, string>? TemplateDefinition { get; set; }

    /// <summary>Gets or sets the chat template in code; it wins over <see cref="TemplateDefinition"/> and <see cref="TemplateName"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ChatPromptTemplate? Template { get; set; }

    /// <summary>
    /// Gets or sets LoRA adapters registered at start-up: name → <c>.onnx_adapter</c> file. With a registered
    /// <see cref="Model"/>, every version the router loads registers them (and fails its load, leaving the served
    /// version in place, when they do not fit it).
    /// </summary>
    /// <value>The default value is empty.</value>
    public Dictionary<string, string> Adapters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets whether, with a registered <see cref="Model"/>, each version also serves the <c>.onnx_adapter</c>
    /// files among its artifacts, named after the files (see <see cref="TextGeneratorLoader.AdaptersFromVersion"/>).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AdaptersFromVersion { get; set; }

    /// <summary>Gets or sets other names <c>ChatOptions.ModelId</c> may give for the base model (the model key and name always work).</summary>
    /// <value>The default value is empty.</value>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Gets or sets a hook that adds middleware to the keyed <see cref="IChatClient"/>, for example <c>b =&gt; b.UseGuardrails(...)</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Action<ChatClientBuilder>? ConfigureChatClient { get; set; }

    internal ChatPromptTemplate ResolveTemplate() =>
        Template ?? (TemplateDefinition is { Count: > 0 } definition ? ChatPromptTemplate.FromParameters(definition)
            : TemplateName == "plain" ? ChatPromptTemplate.Plain
            : ChatPromptTemplate.ChatML);
}
