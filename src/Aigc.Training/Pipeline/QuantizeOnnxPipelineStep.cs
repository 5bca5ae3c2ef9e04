using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The quantization step: converts the ONNX model of an <see cref="ExportOnnxPipelineStep"/> (or of another
/// quantization-compatible step with the same output values) with <see cref="OnnxQuantizer"/>. Its output has the same
/// values as the export step (<see cref="ExportOnnxPipelineStep.ModelPathKey"/>,
/// <see cref="ExportOnnxPipelineStep.DirectoryKey"/>), so a <see cref="RegisterModelPipelineStep"/> registers the
/// quantized model the same way, and metrics with the file sizes (<c>source_bytes</c>, <c>quantized_bytes</c>,
/// <c>compression_ratio</c>).
/// </summary>
public sealed class QuantizeOnnxPipelineStep : ModelPipelineStep
{
    private readonly string _exportStep;
    private readonly OnnxQuantizationOptions _options;
    private readonly OnnxQuantizer _quantizer;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="exportStep">The id of the step whose ONNX model to quantize.</param>
    /// <param name="options">The quantization settings, or <see langword="null"/> for the defaults (int8 weight-only, <c>MatMulNBits</c>).</param>
    /// <param name="quantizer">The quantizer (the one <c>AddTraining()</c> registers logs what it did), or <see langword="null"/> for a new one.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="exportStep"/> is invalid, or a setting is.</exception>
    public QuantizeOnnxPipelineStep(string id, string exportStep, OnnxQuantizationOptions? options = null, OnnxQuantizer? quantizer = null)
        : base(id)
    {
        ThrowIfInvalidId(exportStep, nameof(exportStep));
        _exportStep = exportStep;
        _options = options ?? new OnnxQuantizationOptions();
        _options.Validate();
        _quantizer = quantizer ?? new OnnxQuantizer();
    }

    /// <summary>Gets or sets where the step reports the quantizer's progress.</summary>
    public IProgress<OnnxQuantizationProgress>? Progress { get; init; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs => [_exportStep];

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken)
    {
        var parameters = new StepParameters()
            .Add("method", _options.Method.ToString())
            .Add("block_size", _options.BlockSize)
            .Add("accuracy_level", _options.MatMulNBitsAccuracyLevel)
            .Add("minimum_weight_elements", _options.MinimumWeightElements)
            .Add("excluded_nodes", string.Join(',', _options.ExcludedNodes))
            .Add("external_data_threshold", _options.ExternalDataThreshold);
        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(parameters);
    }

    /// <inheritdoc />
    public override Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = context.GetOutput(_exportStep).GetValue(ExportOnnxPipelineStep.ModelPathKey);
        var directory = Path.Combine(context.WorkDirectory, "quantized");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true); // what a crashed run left
        }

        Directory.CreateDirectory(directory);
        var result = _quantizer.Quantize(source, Path.Combine(directory, "model.onnx"), _options, Progress, cancellationToken);
        return Task.FromResult(new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [ExportOnnxPipelineStep.ModelPathKey] = result.ModelPath,
                [ExportOnnxPipelineStep.DirectoryKey] = directory,
            },
            Metrics = new Dictionary<string, double>
            {
                ["source_bytes"] = result.SourceBytes,
                ["quantized_bytes"] = result.QuantizedBytes,
                ["compression_ratio"] = result.CompressionRatio,
            },
        });
    }

    /// <inheritdoc />
    public override ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ExportOnnxPipelineStep.HasModelFile(output));
}
