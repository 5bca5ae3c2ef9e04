namespace Aigc.Training;

/// <summary>What <see cref="OnnxQuantizer.Quantize"/> wrote.</summary>
/// <param name="ModelPath">The quantized <c>.onnx</c> file.</param>
/// <param name="ExternalDataPath">Its external data file, or <see langword="null"/> when every weight is inside the model file.</param>
/// <param name="Method">The method applied.</param>
/// <param name="SourceBytes">The source model's size on disk (model file plus external data), in bytes.</param>
/// <param name="QuantizedBytes">The quantized model's size on disk (model file plus external data), in bytes.</param>
/// <param name="QuantizedWeights">The weights converted (initializer names).</param>
/// <param name="QuantizedNodes">The nodes that now compute from converted weights.</param>
/// <param name="ExcludedNodes">The nodes left in float32 (asked for in the options, or not convertible).</param>
/// <param name="Metadata">The <c>metadata_props</c> of the written model.</param>
public sealed record OnnxQuantizationResult(
    string ModelPath,
    string? ExternalDataPath,
    OnnxQuantizationMethod Method,
    long SourceBytes,
    long QuantizedBytes,
    IReadOnlyList<string> QuantizedWeights,
    IReadOnlyList<string> QuantizedNodes,
    IReadOnlyList<string> ExcludedNodes,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Gets how many times smaller the quantized model is than the source (source bytes over quantized bytes).</summary>
    public double CompressionRatio => QuantizedBytes == 0 ? 0 : (double)SourceBytes / QuantizedBytes;
}
