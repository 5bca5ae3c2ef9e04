using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Onnx;
using TorchSharp;

namespace Aigc.Training;

/// <summary>
/// Exports GPT-2-family decoders to ONNX in the Hugging Face Optimum convention, building the graph directly
/// (TorchSharp has no ONNX export). The graph has dynamic batch, sequence and past axes and exactly these names:
/// inputs <c>input_ids [batch, seq] int64</c>, <c>attention_mask [batch, past+seq] int64</c>,
/// <c>position_ids [batch, seq] int64</c>, <c>past_key_values.{i}.key|value [batch, heads, past, head_dim] float</c>;
/// outputs <c>logits [batch, seq, vocab]</c>, <c>present.{i}.key|value [batch, heads, past+seq, head_dim]</c>.
/// The first call feeds empty past tensors (past length 0).
/// </summary>
/// <remarks>
/// The graph uses plain ONNX operators only (<c>LayerNormalization</c>, <c>MatMul</c> over the transposed <c>wte</c> for the tied LM head, <c>gelu_new</c>
/// written out with <c>Tanh</c>), so it runs on any ONNX Runtime execution provider and passes the ONNX checker. The
/// weights are float32. Model metadata (architecture, <c>config.json</c>, tokenizer, source model version and
/// SHA-256, opset) goes into <c>metadata_props</c> under <see cref="OnnxMetadataKeys"/>.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The token ids input.</summary>
    public const string InputIdsName = "input_ids";

    /// <summary>The padding mask input over past and new positions.</summary>
    public const string AttentionMaskName = "attention_mask";

    /// <summary>The positions input.</summary>
    public const string PositionIdsName = "position_ids";

    /// <summary>The logits output.</summary>
    public const string LogitsName = "logits";

    /// <summary>
    /// The optional input that keeps only the last N positions' logits (as transformers' <c>logits_to_keep</c>):
    /// <c>[1] int64</c>, default <c>[0]</c> (every position). A prefill needs only its last position, so feeding
    /// <c>[1]</c> spares the LM head all the others; <c>logits</c> is then <c>[batch, N, vocab]</c>.
    /// </summary>
    public const string LogitsToKeepName = "logits_to_keep";

    /// <summary>The symbolic dimension of the positions that have logits (<see cref="SequenceDimension"/> unless <see cref="LogitsToKeepName"/> is fed).</summary>
    public const string LogitsSequenceDimension = "logits_sequence_length";

    /// <summary>The symbolic batch dimension.</summary>
    public const string BatchDimension = "batch_size";

    /// <summary>The symbolic dimension of new positions.</summary>
    public const string SequenceDimension = "sequence_length";

    /// <summary>The symbolic dimension of cached positions.</summary>
    public const string PastSequenceDimension = "past_sequence_length";

    /// <summary>The symbolic dimension of cached plus new positions.</summary>
    public const string TotalSequenceDimension = "past_sequence_length + sequence_length";

    /// <summary>The architectures the exporter supports (<c>config.json</c>'s <c>architectures</c>).</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } = ["GPT2LMHeadModel"];

    /// <summary>Returns the name of layer <paramref name="layer"/>'s cached-key input, <c>past_key_values.{i}.key</c>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The input name.</returns>
    public static string PastKeyName(int layer) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.key");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s cached-value input, <c>past_key_values.{i}.value</c>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The input name.</returns>
    public static string PastValueName(int layer) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.value");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s key output, <c>present.{i}.key</c>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The output name.</returns>
    public static string PresentKeyName(int layer) => string.Create(CultureInfo.InvariantCulture, $"present.{layer}.key");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s value output, <c>present.{i}.value</c>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The output name.</returns>
    public static string PresentValueName(int layer) => string.Create(CultureInfo.InvariantCulture, $"present.{layer}.value");

    /// <summary>
    /// Exports a model with its weights as they are (adapters merged into the weights are included). With
    /// <see cref="OnnxExportOptions.LoraInputs"/>, the targeted layers also take LoRA matrices as inputs.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The <c>.onnx</c> file to write (its folder is created when missing).</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="NotSupportedException">
    /// The architecture or a setting is not supported, LoRA targets match no layer, or the model runs an adapter that is
    /// not merged (and no LoRA inputs are asked for); the message lists what is supported.
    /// </exception>
    public static OnnxExportResult Export(Gpt2LanguageModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OnnxExportOptions();
        Check(model, options);
        var layers = Conv1DLayers(model);
        var lora = options.LoraInputs is null ? [] : LoraTargets(layers, options.LoraInputs);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var graph = Gpt2OnnxGraph.Build(model, lora, options.LoraInputs?.PerRowAdapters == true);
        var metadata = Metadata(model, options, lora);
        var proto = new ModelProto
        {
            IrVersion = IrVersion(options.Opset),
            ProducerName = "Aigc.Training",
            ProducerVersion = ProducerVersion,
            DocString = $"{model.Config.Architectures[0]} ({model.Config.Layers} layers, {model.Config.EmbeddingSize} wide) exported by Aigc.Training in the Hugging Face Optimum decoder convention.",
            Graph = graph.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = options.Opset });
        foreach (var (key, value) in metadata)
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        var externalData = OnnxModelFile.Save(proto, graph.Initializers, path, options.ExternalDataThreshold);
        return new OnnxExportResult(Path.GetFullPath(path), externalData, options.Opset, lora, metadata);
    }

    /// <summary>Exports a LoRA model with its active adapter merged into the weights (the LoRA model is left as it was).</summary>
    /// <param name="lora">The LoRA model.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="NotSupportedException">A setting is not supported; the message lists what is.</exception>
    public static OnnxExportResult ExportMerged(LoraModel lora, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lora);
        using var merged = lora.MergeAndUnload();
        return Export(merged, path, options);
    }

    /// <summary>
    /// Exports a Hugging Face-layout checkpoint folder (<c>config.json</c> + <c>model.safetensors</c>); the
    /// metadata records the SHA-256 of <c>model.safetensors</c> unless the options give one.
    /// </summary>
    /// <param name="checkpointDirectory">The checkpoint folder.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="NotSupportedException">The architecture or a setting is not supported; the message lists what is.</exception>
    /// <exception cref="FileNotFoundException">A checkpoint file is missing.</exception>
    public static OnnxExportResult ExportCheckpoint(string checkpointDirectory, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        options ??= new OnnxExportOptions();
        var configPath = Path.Combine(checkpointDirectory, Gpt2Checkpoint.ConfigFile);
        if (File.Exists(configPath))
        {
            CheckArchitecture(configPath);
        }

        using var model = Gpt2Checkpoint.Load(checkpointDirectory);
        if (options.SourceModelSha256 is null)
        {
            using var weights = File.OpenRead(Path.Combine(checkpointDirectory, Gpt2Checkpoint.WeightsFile));
            options = options with { SourceModelSha256 = Convert.ToHexStringLower(SHA256.HashData(weights)) };
        }

        return Export(model, path, options);
    }

    private static void Check(Gpt2LanguageModel model, OnnxExportOptions options)
    {
        options.Validate();
        var config = model.Config;
        if (!config.Architectures.Any(SupportedArchitectures.Contains))
        {
            throw new NotSupportedException(
                $"Architecture [{string.Join(", ", config.Architectures)}] is not supported for ONNX export; supported: {string.Join(", ", SupportedArchitectures)} (model_type gpt2).");
        }

        config.Validate();
        if (options.LoraInputs is not null)
        {
            return;
        }

        var unmerged = Conv1DLayers(model)
            .Where(l => !l.Layer.AdaptersDisabled && l.Layer.ActiveAdapters.Any(a => l.Layer.LoraAdapters.Contains(a) && !l.Layer.IsMerged(a)))
            .Select(l => l.Path)
            .ToList();
        var bypassed = Conv1DLayers(model)
            .Where(l => l.Layer.AdaptersDisabled && l.Layer.LoraAdapters.Any(l.Layer.IsMerged))
            .Select(l => l.Path)
            .ToList();
        if (unmerged.Count > 0 || bypassed.Count > 0)
        {
            throw new NotSupportedException(
                $"The model runs LoRA adapters that are not in its weights ({string.Join(", ", unmerged.Concat(bypassed).Take(4))}{(unmerged.Count + bypassed.Count > 4 ? ", …" : string.Empty)}). " +
                "Supported: export LoraModel.MergeAndUnload() (or OnnxExporter.ExportMerged) for merged weights, or the base model with OnnxExportOptions.LoraInputs and feed the adapter.");
        }
    }

    private static void CheckArchitecture(string configPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(configPath));
        var root = document.RootElement;
        var modelType = root.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var architectures = root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];
        if ((modelType is not null && modelType != "gpt2") || (architectures.Count > 0 && !architectures.Any(SupportedArchitectures.Contains)))
        {
            throw new NotSupportedException(
                $"{configPath} describes model_type '{modelType}', architectures [{string.Join(", ", architectures)}], which ONNX export does not support; supported: {string.Join(", ", SupportedArchitectures)} (model_type gpt2).");
        }
    }

    internal static List<(string Path, Conv1D Layer)> Conv1DLayers(Gpt2LanguageModel model)
    {
        // named_modules also lists modules under their C# member names: keep the registered (Hugging Face) paths.
        var parameterNames = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        return model.named_modules()
            .Where(m => m.module is Conv1D && parameterNames.Contains(m.name + ".weight"))
            .DistinctBy(m => m.module)
            .Select(m => (m.name, (Conv1D)m.module))
            .ToList();
    }

    private static List<OnnxLoraInput> LoraTargets(List<(string Path, Conv1D Layer)> layers, OnnxLoraInputs inputs)
    {
        var targets = layers
            .Where(l => inputs.IsTarget(l.Path))
            .Select(l => new OnnxLoraInput(
                l.Path,
                PeftKeys.Prefix + l.Path + ".lora_A.weight",
                PeftKeys.Prefix + l.Path + ".lora_B.weight",
                l.Layer.InFeatures,
                l.Layer.OutFeatures,
                l.Path + ".lora_rank"))
            .ToList();
        if (targets.Count == 0)
        {
            var wanted = inputs.TargetModules is not null ? "[" + string.Join(", ", inputs.TargetModules) + "]" : "'" + inputs.TargetModulesRegex + "'";
            throw new NotSupportedException(
                $"LoRA target modules {wanted} match no layer. Supported targets are the Conv1D layers: {string.Join(", ", layers.Select(l => l.Path))} (or a suffix such as c_attn, c_proj, c_fc, or \"all-linear\"); the LM head is tied to wte and never a target.");
        }

        return targets;
    }

    private static Dictionary<string, string> Metadata(Gpt2LanguageModel model, OnnxExportOptions options, IReadOnlyList<OnnxLoraInput> lora)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OnnxMetadataKeys.Architecture] = model.Config.Architectures.First(SupportedArchitectures.Contains),
            [OnnxMetadataKeys.Config] = model.Config.ToJson(),
            [OnnxMetadataKeys.Opset] = options.Opset.ToString(CultureInfo.InvariantCulture),
            [OnnxMetadataKeys.Exporter] = "Aigc.Training " + ProducerVersion,
        };
        if (options.Tokenizer is not null)
        {
            metadata[OnnxMetadataKeys.Tokenizer] = options.Tokenizer;
        }

        if (options.SourceModelVersion is not null)
        {
            metadata[OnnxMetadataKeys.SourceModelVersion] = options.SourceModelVersion;
        }

        if (options.SourceModelSha256 is not null)
        {
            metadata[OnnxMetadataKeys.SourceModelSha256] = options.SourceModelSha256.ToLowerInvariant();
        }

        if (lora.Count > 0)
        {
            metadata[OnnxMetadataKeys.LoraInputs] = JsonSerializer.Serialize(new
            {
                rank = "symbolic",
                scaling = "folded into lora_B",
                layout = options.LoraInputs!.PerRowAdapters ? "stacked" : "per_run",
                adapter_ids = options.LoraInputs.PerRowAdapters ? OnnxLoraInputs.AdapterIdsName : null,
                stacked_suffix = options.LoraInputs.PerRowAdapters ? OnnxLoraInputs.StackedSuffix : null,
                modules = lora.Select(l => new Dictionary<string, object>
                {
                    ["module"] = l.ModulePath,
                    ["lora_A"] = l.LoraAName,
                    ["lora_B"] = l.LoraBName,
                    ["in"] = l.InFeatures,
                    ["out"] = l.OutFeatures,
                    ["rank_dim"] = l.RankDimension,
                }),
            });
        }

        foreach (var (key, value) in options.Metadata)
        {
            metadata[key] = value;
        }

        return metadata;
    }

    /// <summary>The IR version that goes with an opset (the lowest that supports it).</summary>
    private static long IrVersion(int opset) => opset switch
    {
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private static string ProducerVersion { get; } =
        (typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
