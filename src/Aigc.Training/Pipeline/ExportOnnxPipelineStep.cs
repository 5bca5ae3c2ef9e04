using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The export step: writes the model of a <see cref="TrainPipelineStep"/> as ONNX (Optimum convention). A full
/// checkpoint is exported as it is; a LoRA adapter is loaded onto its base checkpoint and exported merged.
/// </summary>
public sealed class ExportOnnxPipelineStep : ModelPipelineStep
{
    /// <summary>The output value holding the <c>.onnx</c> file.</summary>
    public const string ModelPathKey = "onnx.path";

    /// <summary>The output value holding the folder that holds the export and nothing else (what to register).</summary>
    public const string DirectoryKey = "onnx.directory";

    private readonly string _trainStep;
    private readonly OnnxExportOptions _options;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="trainStep">The id of the training step whose model to export.</param>
    /// <param name="options">The export settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="trainStep"/> is invalid.</exception>
    public ExportOnnxPipelineStep(string id, string trainStep, OnnxExportOptions? options = null)
        : base(id)
    {
        ThrowIfInvalidId(trainStep, nameof(trainStep));
        _trainStep = trainStep;
        _options = options ?? new OnnxExportOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs => [_trainStep];

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken)
    {
        var parameters = new StepParameters()
            .Add("opset", _options.Opset)
            .Add("tokenizer", _options.Tokenizer)
            .Add("source_model_version", _options.SourceModelVersion)
            .Add("external_data_threshold", _options.ExternalDataThreshold)
            .Add("lora_inputs", _options.LoraInputs is null ? "none" : "set");
        foreach (var (key, value) in _options.Metadata)
        {
            parameters.Add("metadata." + key, value);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(parameters);
    }

    /// <inheritdoc />
    public override Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var trained = context.GetOutput(_trainStep);
        var model = trained.GetValue(TrainPipelineStep.ModelKey);
        var directory = Path.Combine(context.WorkDirectory, "onnx");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true); // what a crashed export left
        }

        var path = Path.Combine(directory, "model.onnx");
        OnnxExportResult result;
        if (File.Exists(Path.Combine(model, "adapter_config.json")))
        {
            var baseDirectory = trained.Values.GetValueOrDefault(TrainPipelineStep.BaseModelKey);
            if (string.IsNullOrEmpty(baseDirectory))
            {
                throw new InvalidOperationException($"Step '{_trainStep}' trained an adapter but recorded no base model: set TrainingJob.BaseModelDirectory so '{Id}' can merge it.");
            }

            TorchSharpRuntime.EnsureLoaded();
            using var baseModel = Gpt2Checkpoint.Load(baseDirectory);
            var lora = LoraModel.Load(baseModel, model);
            result = OnnxExporter.ExportMerged(lora, path, _options);
        }
        else
        {
            result = OnnxExporter.ExportCheckpoint(model, path, _options);
        }

        return Task.FromResult(new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [ModelPathKey] = result.ModelPath,
                [DirectoryKey] = directory,
            },
        });
    }

    /// <inheritdoc />
    public override ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken) =>
        ValueTask.FromResult(HasModelFile(output));

    /// <summary>Whether an output of this step (or of a step with the same values) still has its <c>.onnx</c> file.</summary>
    internal static bool HasModelFile(ModelPipelineStepOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Values.TryGetValue(ModelPathKey, out var path) && File.Exists(path);
    }
}
