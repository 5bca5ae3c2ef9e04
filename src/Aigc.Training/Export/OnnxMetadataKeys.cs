namespace Aigc.Training;

/// <summary>The <c>metadata_props</c> keys <see cref="OnnxExporter"/> (and <see cref="OnnxQuantizer"/>) write into an exported model.</summary>
public static class OnnxMetadataKeys
{
    /// <summary>The architecture, as in <c>config.json</c>'s <c>architectures</c> (for example <c>GPT2LMHeadModel</c>).</summary>
    public const string Architecture = "aigc.architecture";

    /// <summary>The model configuration: the Hugging Face <c>config.json</c> text.</summary>
    public const string Config = "aigc.config";

    /// <summary>The tokenizer (a name such as <c>gpt2</c>, or a tokenizer's JSON).</summary>
    public const string Tokenizer = "aigc.tokenizer";

    /// <summary>The source model's version.</summary>
    public const string SourceModelVersion = "aigc.source_model_version";

    /// <summary>The SHA-256 of the source model's weights file, lower-case hex.</summary>
    public const string SourceModelSha256 = "aigc.source_model_sha256";

    /// <summary>The opset the graph uses (also in the model's <c>opset_import</c>).</summary>
    public const string Opset = "aigc.opset";

    /// <summary>
    /// The LoRA inputs as JSON, when the model has them:
    /// <c>{"rank":"symbolic","scaling":"folded into lora_B","layout":"per_run"|"stacked","adapter_ids","stacked_suffix","modules":[{"module","lora_A","lora_B","in","out","rank_dim"}]}</c>
    /// (<c>adapter_ids</c> and <c>stacked_suffix</c> are null unless the layout is <c>stacked</c>, see <see cref="OnnxLoraInputs.PerRowAdapters"/>).
    /// </summary>
    public const string LoraInputs = "aigc.lora_inputs";

    /// <summary>The exporter and its version.</summary>
    public const string Exporter = "aigc.exporter";

    /// <summary>
    /// What <see cref="OnnxQuantizer"/> did, as JSON: <c>method</c>, <c>weight_type</c>, <c>activation_type</c>, <c>ops</c>,
    /// <c>symmetric</c>, <c>per_channel</c>, <c>granularity</c>, <c>weights</c>, <c>nodes</c>, <c>excluded_nodes</c>, <c>interface</c>.
    /// </summary>
    public const string Quantization = "aigc.quantization";

    /// <summary>Gets every key the exporter writes.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Architecture, Config, Tokenizer, SourceModelVersion, SourceModelSha256, Opset, LoraInputs, Exporter, Quantization,
    };
}
