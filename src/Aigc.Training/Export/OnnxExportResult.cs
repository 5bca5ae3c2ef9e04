namespace Aigc.Training;

/// <summary>What an ONNX export wrote.</summary>
/// <param name="ModelPath">The <c>.onnx</c> file.</param>
/// <param name="ExternalDataPath">The external data file, or <see langword="null"/> when every weight is inside the model file.</param>
/// <param name="Opset">The opset.</param>
/// <param name="LoraInputs">The LoRA inputs, empty for a plain export.</param>
/// <param name="Metadata">The <c>metadata_props</c> written.</param>
public sealed record OnnxExportResult(
    string ModelPath,
    string? ExternalDataPath,
    int Opset,
    IReadOnlyList<OnnxLoraInput> LoraInputs,
    IReadOnlyDictionary<string, string> Metadata);
