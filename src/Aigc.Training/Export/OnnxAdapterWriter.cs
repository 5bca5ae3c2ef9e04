using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Writes LoRA adapters in ONNX Runtime's <c>.onnx_adapter</c> format (FlatBuffers, identifier <c>TORT</c>, format
/// version 1), which <c>OrtLoraAdapter.Create</c> loads and <c>RunOptions.AddActiveLoraAdapter</c> feeds into a model
/// exported with <see cref="OnnxExportOptions.LoraInputs"/>.
/// </summary>
/// <remarks>
/// Parameters are named after PEFT's keys (<c>base_model.model.&lt;path&gt;.lora_A.weight</c> <c>[r, in]</c>,
/// <c>….lora_B.weight</c> <c>[out, r]</c>), as the exported graph's inputs are; B carries the adapter's scaling
/// (alpha / r, or alpha / √r with rsLoRA), since the graph has no scaling input. The adapter's targets must be
/// layers the model was exported with LoRA inputs for: ONNX Runtime rejects feeds the graph does not have.
/// </remarks>
public static class OnnxAdapterWriter
{
    /// <summary>The file extension ONNX Runtime's tools use.</summary>
    public const string FileExtension = ".onnx_adapter";

    /// <summary>The FlatBuffers file identifier.</summary>
    public const string FileIdentifier = OnnxAdapterFormat.Identifier;

    /// <summary>The adapter format version written.</summary>
    public const int FormatVersion = OnnxAdapterFormat.FormatVersion;

    /// <summary>
    /// Returns an adapter's tensors as an exported model's LoRA inputs take them: A as trained and B multiplied by
    /// the layer's scaling, float32 on the CPU, by PEFT key.
    /// </summary>
    /// <param name="lora">The LoRA model.</param>
    /// <param name="adapterName">The adapter, or <see langword="null"/> for the active one.</param>
    /// <returns>The tensors (new tensors; dispose them when done).</returns>
    /// <exception cref="NotSupportedException">The adapter also trains biases or whole modules, which LoRA inputs cannot carry.</exception>
    public static IReadOnlyDictionary<string, Tensor> GetParameters(LoraModel lora, string? adapterName = null)
    {
        ArgumentNullException.ThrowIfNull(lora);
        adapterName ??= lora.ActiveAdapter;
        var config = lora.Adapters.TryGetValue(adapterName, out var c)
            ? c
            : throw new KeyNotFoundException($"No adapter named '{adapterName}'. Attached: {string.Join(", ", lora.Adapters.Keys)}.");
        return Scale(config, lora.GetAdapterState(adapterName));
    }

    /// <summary>Writes a LoRA model's adapter (B scaled) as an <c>.onnx_adapter</c> file.</summary>
    /// <param name="lora">The LoRA model.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="adapterName">The adapter, or <see langword="null"/> for the active one.</param>
    /// <param name="adapterVersion">The adapter version recorded in the file.</param>
    /// <param name="modelVersion">The model version recorded in the file.</param>
    /// <exception cref="NotSupportedException">The adapter also trains biases or whole modules.</exception>
    public static void Write(LoraModel lora, string path, string? adapterName = null, int adapterVersion = 0, int modelVersion = 0)
    {
        var parameters = GetParameters(lora, adapterName);
        try
        {
            WriteTensors(parameters, path, adapterVersion, modelVersion);
        }
        finally
        {
            Dispose(parameters);
        }
    }

    /// <summary>Converts a PEFT adapter folder (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) to an <c>.onnx_adapter</c> file (B scaled).</summary>
    /// <param name="adapterDirectory">The PEFT adapter folder.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="adapterVersion">The adapter version recorded in the file.</param>
    /// <param name="modelVersion">The model version recorded in the file.</param>
    /// <exception cref="NotSupportedException">The adapter is not a plain LoRA adapter (it trains biases or whole modules, or is not LoRA).</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static void WriteFromPeft(string adapterDirectory, string path, int adapterVersion = 0, int modelVersion = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        var config = LoraModel.ReadConfig(adapterDirectory);
        config.Validate();
        TorchSharpRuntime.EnsureLoaded();
        var (tensors, _) = TensorStateFile.Load(Path.Combine(adapterDirectory, LoraModel.WeightsFile));
        try
        {
            var normalized = tensors.ToDictionary(t => PeftKeys.Normalize(t.Key), t => t.Value, StringComparer.Ordinal);
            var parameters = Scale(config, normalized);
            try
            {
                WriteTensors(parameters, path, adapterVersion, modelVersion);
            }
            finally
            {
                Dispose(parameters);
            }
        }
        finally
        {
            Dispose(tensors);
        }
    }

    /// <summary>Writes tensors as they are (no scaling) as an <c>.onnx_adapter</c> file.</summary>
    /// <param name="parameters">The tensors by graph input name (float32, float16, bfloat16 or float64).</param>
    /// <param name="path">The file to write (its folder is created when missing).</param>
    /// <param name="adapterVersion">The adapter version recorded in the file.</param>
    /// <param name="modelVersion">The model version recorded in the file.</param>
    /// <exception cref="NotSupportedException">A tensor's type is not supported; the message lists the supported ones.</exception>
    public static void WriteTensors(IReadOnlyDictionary<string, Tensor> parameters, string path, int adapterVersion = 0, int modelVersion = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(parameters, adapterVersion, modelVersion);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Serialises tensors as they are (no scaling) in the <c>.onnx_adapter</c> format, for <c>OrtLoraAdapter.Create(byte[])</c>.</summary>
    /// <param name="parameters">The tensors by graph input name (float32, float16, bfloat16 or float64).</param>
    /// <param name="adapterVersion">The adapter version recorded in the file.</param>
    /// <param name="modelVersion">The model version recorded in the file.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="NotSupportedException">A tensor's type is not supported, or the adapter is 2 GiB or larger.</exception>
    public static byte[] ToBytes(IReadOnlyDictionary<string, Tensor> parameters, int adapterVersion = 0, int modelVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<OnnxAdapterFormat.Parameter>(parameters.Count);
        long total = 0;
        foreach (var (name, tensor) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(parameters));
            var type = tensor.dtype switch
            {
                ScalarType.Float32 => OnnxAdapterFormat.Float,
                ScalarType.Float16 => OnnxAdapterFormat.Float16,
                ScalarType.BFloat16 => OnnxAdapterFormat.BFloat16,
                ScalarType.Float64 => OnnxAdapterFormat.Double,
                _ => throw new NotSupportedException($"'{name}' is {tensor.dtype}; supported adapter tensor types: Float32, Float16, BFloat16, Float64."),
            };
            using var cpu = tensor.detach().cpu().contiguous();
            var data = cpu.bytes.ToArray();
            total += data.Length;
            if (total >= int.MaxValue - (1 << 20))
            {
                throw new NotSupportedException("The adapter is 2 GiB or larger, over the FlatBuffers limit of the .onnx_adapter format.");
            }

            list.Add(new OnnxAdapterFormat.Parameter(name, cpu.shape, type, data));
        }

        return OnnxAdapterFormat.Build(list, adapterVersion, modelVersion);
    }

    private static Dictionary<string, Tensor> Scale(LoraConfig config, IReadOnlyDictionary<string, Tensor> state)
    {
        var unsupported = state.Keys.Where(k => !k.EndsWith(".lora_A.weight", StringComparison.Ordinal) && !k.EndsWith(".lora_B.weight", StringComparison.Ordinal)).ToList();
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException(
                $"The adapter also carries {string.Join(", ", unsupported.Take(4))}{(unsupported.Count > 4 ? ", …" : string.Empty)} (bias '{config.Bias}' or modules_to_save), which an exported model's LoRA inputs cannot take. " +
                "Supported: plain LoRA adapters (bias \"none\", no modules_to_save); otherwise export the merged model with OnnxExporter.ExportMerged.");
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var (key, tensor) in state)
        {
            var value = tensor.detach().to(ScalarType.Float32).cpu();
            value = key.EndsWith(".lora_B.weight", StringComparison.Ordinal)
                ? value.mul(config.ScalingFor(key[PeftKeys.Prefix.Length..^".lora_B.weight".Length]))
                : value.clone();
            result[key] = value.MoveToOuterDisposeScope();
        }

        return result;
    }

    private static void Dispose<T>(IReadOnlyDictionary<string, T> tensors)
        where T : IDisposable
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
