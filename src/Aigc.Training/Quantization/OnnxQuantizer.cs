using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Onnx;

namespace Aigc.Training;

/// <summary>
/// Quantizes exported ONNX decoders on the graph: int8 weights (weight-only through <c>DequantizeLinear</c> or
/// <c>MatMulNBits</c>, or dynamic activation int8 through <c>MatMulInteger</c>) or float16 (for GPUs). The written model
/// keeps the source's input and output names and types (the Hugging Face Optimum convention), so the generation engine
/// serves it unchanged, and records what was done under <see cref="OnnxMetadataKeys.Quantization"/>.
/// </summary>
/// <remarks>
/// The quantizer reads any ONNX model whose weight matrices are float32 initializers read by <c>MatMul</c>/<c>Gemm</c>
/// (embedding tables tied to them are converted with them); other initializers (biases, norms, position embeddings)
/// stay as they are. The added operators need opset 13 or later (models from <see cref="OnnxExporter"/> are 17+).
/// </remarks>
/// <param name="logger">Logs what each quantization did, or <see langword="null"/>.</param>
public sealed class OnnxQuantizer(ILogger<OnnxQuantizer>? logger = null)
{
    private const int MinOpset = 13;
    private readonly ILogger _logger = logger ?? NullLogger<OnnxQuantizer>.Instance;

    /// <summary>Quantizes the model at <paramref name="sourcePath"/> into <paramref name="path"/>.</summary>
    /// <param name="sourcePath">The float32 <c>.onnx</c> model (its external data file, if any, beside it).</param>
    /// <param name="path">The <c>.onnx</c> file to write (its folder is created when missing); not the source.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives a report after each weight and when the file is written, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the quantization (nothing is written then).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">A path is empty, or both paths name the same file.</exception>
    /// <exception cref="FileNotFoundException">The source model (or its external data) is missing.</exception>
    /// <exception cref="InvalidDataException">The source is not an ONNX model.</exception>
    /// <exception cref="NotSupportedException">
    /// A setting is not supported, the model's opset is below 13, it was quantized already, or it has no float32 weight
    /// matrix to convert; the message says which.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public OnnxQuantizationResult Quantize(
        string sourcePath,
        string path,
        OnnxQuantizationOptions? options = null,
        IProgress<OnnxQuantizationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (string.Equals(Path.GetFullPath(sourcePath), Path.GetFullPath(path), StringComparison.Ordinal))
        {
            throw new ArgumentException("The quantized model must go to another file than its source.", nameof(path));
        }

        options ??= new OnnxQuantizationOptions();
        options.Validate();
        var (model, initializers) = OnnxModelReader.Read(sourcePath);
        Check(model, sourcePath);

        List<string> weights, nodes, excluded;
        IReadOnlyList<string> operators;
        if (options.Method == OnnxQuantizationMethod.Float16)
        {
            (initializers, weights) = Float16GraphRewriter.Rewrite(model.Graph, initializers, progress, cancellationToken);
            nodes = model.Graph.Node.Where(n => n.OpType is "MatMul" or "Gemm").Select(n => n.Name).ToList();
            excluded = [];
            operators = ["Cast"];
        }
        else
        {
            var rewriter = new Int8GraphRewriter(model.Graph, options);
            initializers = rewriter.Rewrite(initializers, progress, cancellationToken);
            weights = initializers.Where(i => i.Proto.Name.EndsWith("_quantized", StringComparison.Ordinal)).Select(i => i.Proto.Name[..^"_quantized".Length]).ToList();
            (nodes, excluded, operators) = (rewriter.QuantizedNodes, rewriter.Excluded, rewriter.Operators);
            if (options.Method == OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits && !model.OpsetImport.Any(o => o.Domain == Int8GraphRewriter.MicrosoftDomain))
            {
                model.OpsetImport.Add(new OperatorSetIdProto { Domain = Int8GraphRewriter.MicrosoftDomain, Version = 1 });
            }
        }

        if (weights.Count == 0)
        {
            throw new NotSupportedException(
                $"'{sourcePath}' has no float32 weight matrix of at least {options.MinimumWeightElements} elements read by a MatMul or Gemm to convert" +
                (excluded.Count > 0 ? $" (left in float32: {string.Join(", ", excluded.Take(4))})." : "."));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var metadata = Metadata(options, operators, weights.Count, nodes, excluded);
        SetMetadata(model, metadata);
        model.ProducerName = "Aigc.Training";
        var externalData = OnnxModelFile.Save(model, initializers, path, options.ExternalDataThreshold);
        var result = new OnnxQuantizationResult(
            Path.GetFullPath(path), externalData, options.Method, Size(sourcePath), Size(path), weights, nodes, excluded,
            model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        progress?.Report(new OnnxQuantizationProgress(weights.Count, weights.Count, null));
        _logger.LogInformation(
            "Quantized {Source} to {Path} ({Method}): {Weights} weights, {Nodes} nodes, {Excluded} left float32, {Before} → {After} bytes ({Ratio:F2}x smaller)",
            sourcePath, result.ModelPath, options.Method, weights.Count, nodes.Count, excluded.Count, result.SourceBytes, result.QuantizedBytes, result.CompressionRatio);
        return result;
    }

    private static void Check(ModelProto model, string path)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0 || o.Domain == "ai.onnx")?.Version ?? 0;
        if (opset < MinOpset)
        {
            throw new NotSupportedException($"'{path}' uses opset {opset}; quantization needs opset {MinOpset} or later (re-export it with OnnxExportOptions.Opset 17 or later).");
        }

        if (model.MetadataProps.FirstOrDefault(p => p.Key == OnnxMetadataKeys.Quantization) is { } done)
        {
            throw new NotSupportedException($"'{path}' is quantized already ({done.Value}); quantize the float32 export instead.");
        }
    }

    private static Dictionary<string, string> Metadata(OnnxQuantizationOptions options, IReadOnlyList<string> operators, int weights, IReadOnlyList<string> nodes, IReadOnlyList<string> excluded)
    {
        var method = options.Method switch
        {
            OnnxQuantizationMethod.WeightOnlyInt8 => "int8_weight_only",
            OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits => "int8_weight_only_matmulnbits",
            OnnxQuantizationMethod.DynamicInt8 => "int8_dynamic",
            _ => "float16",
        };
        var description = new Dictionary<string, object>
        {
            ["method"] = method,
            ["weight_type"] = options.Method == OnnxQuantizationMethod.Float16 ? "float16" : "int8",
            ["activation_type"] = options.Method switch
            {
                OnnxQuantizationMethod.DynamicInt8 => "uint8 (dynamic, per tensor)",
                OnnxQuantizationMethod.Float16 => "float16",
                OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits when options.MatMulNBitsAccuracyLevel == 4 => "int8 (inside MatMulNBits, per block)",
                _ => "float32",
            },
            ["ops"] = operators,
            ["weights"] = weights,
            ["nodes"] = nodes.Count,
            ["excluded_nodes"] = excluded,
            ["interface"] = "float32 (inputs and outputs unchanged)",
        };
        if (options.Method != OnnxQuantizationMethod.Float16)
        {
            description["symmetric"] = true;
            description["per_channel"] = true;
            description["granularity"] = options.Method == OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits
                ? string.Create(CultureInfo.InvariantCulture, $"output channel x block of {options.BlockSize}")
                : "output channel";
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OnnxMetadataKeys.Quantization] = JsonSerializer.Serialize(description),
        };
    }

    private static void SetMetadata(ModelProto model, Dictionary<string, string> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
    }

    private static long Size(string path)
    {
        // The exporter's (and Optimum's) external data file: "<model file name>_data" beside the model.
        var external = Path.GetFullPath(path) + "_data";
        return new FileInfo(path).Length + (File.Exists(external) ? new FileInfo(external).Length : 0);
    }
}
