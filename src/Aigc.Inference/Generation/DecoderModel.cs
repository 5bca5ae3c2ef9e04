using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// An ONNX decoder in the Hugging Face Optimum convention and its shape: layers, heads, head size, vocabulary,
/// context length, end-of-sequence token and LoRA inputs. Runs one step over caller-owned buffers.
/// </summary>
internal sealed class DecoderModel : IDisposable
{
    internal const string InputIds = "input_ids";
    internal const string AttentionMask = "attention_mask";
    internal const string PositionIds = "position_ids";
    internal const string Logits = "logits";
    internal const string ConfigMetadataKey = "aigc.config";
    internal const string AdapterIds = "adapter_ids";
    internal const string StackedSuffix = ".stacked";
    internal const string LogitsToKeep = "logits_to_keep";

    private static readonly long[] KeepLast = [1];

    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly string[][] _inputNameSets = new string[4][];

    public DecoderModel(GenerationEngineOptions options)
    {
        if (!File.Exists(options.ModelPath))
        {
            throw new FileNotFoundException($"The ONNX decoder '{options.ModelPath}' does not exist.", options.ModelPath);
        }

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, // LoRA inputs are overridable initializers by design: ORT warns about each
        };
        Session = new InferenceSession(options.ModelPath, sessionOptions);
        try
        {
            var inputs = Session.InputMetadata;
            foreach (var required in new[] { InputIds, AttentionMask, PositionIds, PastKey(0), PastValue(0) })
            {
                if (!inputs.ContainsKey(required))
                {
                    throw new NotSupportedException(
                        $"'{options.ModelPath}' is not an ONNX decoder with a KV cache in the Optimum convention: it lacks the input '{required}'. " +
                        "Expected inputs input_ids, attention_mask, position_ids and past_key_values.{i}.key|value; outputs logits and present.{i}.key|value.");
                }
            }

            while (inputs.ContainsKey(PastKey(Layers)))
            {
                Layers++;
            }

            var past = inputs[PastKey(0)].Dimensions;
            Heads = past[1];
            HeadSize = past[3];
            VocabSize = Session.OutputMetadata[Logits].Dimensions[2];
            if (Heads <= 0 || HeadSize <= 0 || VocabSize <= 0)
            {
                throw new NotSupportedException($"'{options.ModelPath}' has symbolic heads, head size or vocabulary; they must be fixed numbers.");
            }

            var (positions, eos) = ReadConfig(Session.ModelMetadata.CustomMetadataMap);
            ContextLength = options.ContextLength ?? positions
                ?? throw new NotSupportedException($"'{options.ModelPath}' does not record its context length (n_positions in the {ConfigMetadataKey} metadata); set GenerationEngineOptions.ContextLength.");
            if (positions is { } max && ContextLength > max)
            {
                throw new ArgumentException($"ContextLength {ContextLength} exceeds the model's {max} positions.", nameof(options));
            }

            EndOfSequenceTokenId = options.EndOfSequenceTokenId ?? (eos is { } id && id < VocabSize ? id : null);
            var overridable = Session.OverridableInitializerMetadata;
            PerRowAdapters = overridable.ContainsKey(AdapterIds);
            StackedLora = PerRowAdapters ? ReadStackedLayers(overridable) : [];
            LoraInputNames = PerRowAdapters
                ? StackedLora.SelectMany(l => new[] { l.LoraA, l.LoraB }).ToHashSet(StringComparer.Ordinal)
                : overridable.Keys.Where(k => k.Contains(".lora_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
            _inputNames = new string[3 + (2 * Layers)];
            _outputNames = new string[1 + (2 * Layers)];
            _inputNames[0] = InputIds;
            _inputNames[1] = AttentionMask;
            _inputNames[2] = PositionIds;
            _outputNames[0] = Logits;
            for (var i = 0; i < Layers; i++)
            {
                _inputNames[3 + (2 * i)] = PastKey(i);
                _inputNames[4 + (2 * i)] = PastValue(i);
                _outputNames[1 + (2 * i)] = string.Create(CultureInfo.InvariantCulture, $"present.{i}.key");
                _outputNames[2 + (2 * i)] = string.Create(CultureInfo.InvariantCulture, $"present.{i}.value");
            }

            // The inputs of a run: the Optimum ones, then logits_to_keep when only the last position's logits are
            // wanted, then the adapter slots of a per-row export (index: 1 for keep-last, 2 for per-row).
            SupportsLogitsToKeep = overridable.ContainsKey(LogitsToKeep);
            string[] perRowNames = PerRowAdapters ? [AdapterIds, .. StackedLora.SelectMany(l => new[] { l.StackedA, l.StackedB })] : [];
            _inputNameSets[0] = _inputNames;
            _inputNameSets[1] = [.. _inputNames, LogitsToKeep];
            _inputNameSets[2] = [.. _inputNames, .. perRowNames];
            _inputNameSets[3] = [.. _inputNames, LogitsToKeep, .. perRowNames];

            Name = options.ModelName ?? Path.GetFileNameWithoutExtension(options.ModelPath);
        }
        catch
        {
            Session.Dispose();
            throw;
        }
    }

    public InferenceSession Session { get; }

    public string Name { get; }

    public int Layers { get; }

    public int Heads { get; }

    public int HeadSize { get; }

    public int VocabSize { get; }

    public int ContextLength { get; }

    public int? EndOfSequenceTokenId { get; }

    /// <summary>Gets the names of the LoRA matrices the model takes: its LoRA inputs, or for a per-row export the PEFT keys its stacked inputs hold.</summary>
    public IReadOnlySet<string> LoraInputNames { get; }

    /// <summary>Gets whether the model takes <c>logits_to_keep</c>, so a prefill computes only its last position's logits.</summary>
    public bool SupportsLogitsToKeep { get; }

    /// <summary>Gets whether the model takes stacked adapter slots and per-row <c>adapter_ids</c> (one run serves rows with different adapters).</summary>
    public bool PerRowAdapters { get; }

    /// <summary>Gets the stacked LoRA layers of a per-row export, in the order <see cref="LoraStack"/> keeps its buffers.</summary>
    public IReadOnlyList<StackedLoraLayer> StackedLora { get; }

    /// <summary>Floats of one cached position of one row in one layer's key (or value) tensor.</summary>
    public int PositionStride => Heads * HeadSize;

    /// <summary>
    /// Runs one step: <paramref name="batch"/> rows of <paramref name="sequence"/> new tokens over <paramref name="past"/>
    /// cached positions. Past and present buffers are [batch, heads, positions, head_size] per layer; ONNX Runtime
    /// writes the logits and the present keys and values straight into the given buffers. With
    /// <paramref name="lastOnly"/> (and a model that takes <c>logits_to_keep</c>), the logits are only the last
    /// position's, [batch, 1, vocab]; with <paramref name="stack"/>, row <c>b</c> uses slot <c>adapterIds[b]</c>.
    /// </summary>
    public void Run(
        RunOptions runOptions,
        int batch,
        int sequence,
        int past,
        long[] ids,
        long[] mask,
        long[] positions,
        float[][] pastKeys,
        float[][] pastValues,
        float[] logits,
        float[][] presentKeys,
        float[][] presentValues,
        long[]? adapterIds = null,
        LoraStack? stack = null,
        bool lastOnly = false)
    {
        var perRow = stack is not null && adapterIds is not null;
        var keepLast = lastOnly && SupportsLogitsToKeep && sequence > 1;
        var inputNames = _inputNameSets[(keepLast ? 1 : 0) + (perRow ? 2 : 0)];
        var inputs = new OrtValue[inputNames.Length];
        var outputs = new OrtValue[_outputNames.Length];
        try
        {
            long[] tokenShape = [batch, sequence];
            inputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, batch * sequence), tokenShape);
            inputs[1] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, batch * (past + sequence)), [batch, past + sequence]);
            inputs[2] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, positions.AsMemory(0, batch * sequence), tokenShape);
            long[] pastShape = [batch, Heads, past, HeadSize];
            long[] presentShape = [batch, Heads, past + sequence, HeadSize];
            var pastLength = batch * PositionStride * past;
            var presentLength = batch * PositionStride * (past + sequence);
            for (var i = 0; i < Layers; i++)
            {
                inputs[3 + (2 * i)] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pastKeys[i].AsMemory(0, pastLength), pastShape);
                inputs[4 + (2 * i)] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pastValues[i].AsMemory(0, pastLength), pastShape);
                outputs[1 + (2 * i)] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, presentKeys[i].AsMemory(0, presentLength), presentShape);
                outputs[2 + (2 * i)] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, presentValues[i].AsMemory(0, presentLength), presentShape);
            }

            var at = _inputNames.Length;
            if (keepLast)
            {
                inputs[at++] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, KeepLast.AsMemory(), [1]);
            }

            if (perRow)
            {
                inputs[at++] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, adapterIds.AsMemory(0, batch), [batch]);
                for (var i = 0; i < StackedLora.Count; i++)
                {
                    var layer = StackedLora[i];
                    inputs[at++] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, stack!.A[i].AsMemory(), [stack.Slots, stack.Rank, layer.InFeatures]);
                    inputs[at++] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, stack.B[i].AsMemory(), [stack.Slots, layer.OutFeatures, stack.Rank]);
                }
            }

            var logitsRows = keepLast ? 1 : sequence;
            outputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits.AsMemory(0, batch * logitsRows * VocabSize), [batch, logitsRows, VocabSize]);
            Session.Run(runOptions, inputNames, inputs, _outputNames, outputs);
        }
        finally
        {
            foreach (var value in inputs)
            {
                value?.Dispose();
            }

            foreach (var value in outputs)
            {
                value?.Dispose();
            }
        }
    }

    public void Dispose() => Session.Dispose();

    private static string PastKey(int layer) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.key");

    private static string PastValue(int layer) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.value");

    /// <summary>The stacked layers: each <c>&lt;key&gt;.lora_A.weight.stacked [slots, r, in]</c> with its B <c>[slots, out, r]</c>.</summary>
    private static List<StackedLoraLayer> ReadStackedLayers(IReadOnlyDictionary<string, NodeMetadata> overridable)
    {
        const string ASuffix = ".lora_A.weight" + StackedSuffix;
        var layers = new List<StackedLoraLayer>();
        foreach (var (name, metadata) in overridable.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!name.EndsWith(ASuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var loraA = name[..^StackedSuffix.Length];
            var loraB = loraA[..^".lora_A.weight".Length] + ".lora_B.weight";
            var stackedB = loraB + StackedSuffix;
            if (!overridable.TryGetValue(stackedB, out var bMetadata) || metadata.Dimensions.Length != 3 || bMetadata.Dimensions.Length != 3
                || metadata.Dimensions[2] <= 0 || bMetadata.Dimensions[1] <= 0)
            {
                throw new NotSupportedException($"The per-row LoRA input '{name}' needs a partner '{stackedB}', shapes [slots, r, in] and [slots, out, r] with fixed in and out.");
            }

            layers.Add(new StackedLoraLayer(loraA, loraB, name, stackedB, metadata.Dimensions[2], bMetadata.Dimensions[1]));
        }

        return layers;
    }

    private static (int? Positions, int? Eos) ReadConfig(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ConfigMetadataKey, out var json))
        {
            return (null, null);
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        int? Read(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
        return (Read("n_positions") ?? Read("max_position_embeddings"), Read("eos_token_id"));
    }
}
