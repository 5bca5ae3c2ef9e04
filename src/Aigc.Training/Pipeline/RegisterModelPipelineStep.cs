using System.Globalization;
using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The register step: registers an <see cref="ExportOnnxPipelineStep"/>'s folder as a new version in an
/// <see cref="IModelRegistry"/>, with lineage (the dataset version, the base model version, the pipeline run) and the
/// metrics of an evaluation step. The version carries the step's fingerprint as a tag, so a run that crashed after
/// registering finds that version instead of registering a second one.
/// </summary>
public sealed class RegisterModelPipelineStep : ModelPipelineStep
{
    /// <summary>The output value holding the model name.</summary>
    public const string NameKey = "model.name";

    /// <summary>The output value holding the registered version number.</summary>
    public const string VersionKey = "model.version";

    /// <summary>The tag holding the fingerprint of the step that registered a version.</summary>
    public const string FingerprintTag = "aigc.pipeline.fingerprint";

    /// <summary>The tag holding the name of the pipeline that registered a version.</summary>
    public const string PipelineTag = "aigc.pipeline";

    private readonly IModelRegistry _registry;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="modelName">The registered model's name.</param>
    /// <param name="exportStep">The id of the export step whose folder to register.</param>
    /// <exception cref="ArgumentException">An id or the model name is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is <see langword="null"/>.</exception>
    public RegisterModelPipelineStep(string id, IModelRegistry registry, string modelName, string exportStep)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ModelUri.ThrowIfInvalidName(modelName, nameof(modelName));
        ThrowIfInvalidId(exportStep, nameof(exportStep));
        _registry = registry;
        ModelName = modelName;
        ExportStep = exportStep;
    }

    /// <summary>Gets the registered model's name.</summary>
    public string ModelName { get; }

    /// <summary>Gets the id of the export step.</summary>
    public string ExportStep { get; }

    /// <summary>Gets the id of the <see cref="DatasetPipelineStep"/> recorded as the training data, or <see langword="null"/>.</summary>
    public string? DatasetStep { get; init; }

    /// <summary>Gets the id of the step whose metrics the version records, or <see langword="null"/>.</summary>
    public string? MetricsStep { get; init; }

    /// <summary>
    /// Gets the prefix of the metrics to record: only metrics whose name starts with it are kept, without it
    /// (an evaluation that scores base and fine-tuned names them <c>base.*</c> and <c>tuned.*</c>).
    /// </summary>
    /// <value>The default value is the empty string (every metric).</value>
    public string MetricsPrefix { get; init; } = string.Empty;

    /// <summary>Gets the id of a register step whose version is this model's base, or <see langword="null"/>.</summary>
    public string? BaseModelStep { get; init; }

    /// <summary>Gets the version's description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the version's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs =>
        new[] { ExportStep, DatasetStep, MetricsStep, BaseModelStep }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Reads the registered version from this step's output.</summary>
    /// <param name="output">The step's output.</param>
    /// <returns>The model name and version.</returns>
    /// <exception cref="InvalidOperationException">The output is not a register step's.</exception>
    public static (string Name, int Version) GetVersion(ModelPipelineStepOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return (output.GetValue(NameKey), int.Parse(output.GetValue(VersionKey), CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken)
    {
        var parameters = new StepParameters()
            .Add("model", ModelName)
            .Add("description", Description)
            .Add("metrics_prefix", MetricsPrefix);
        foreach (var (key, value) in Tags)
        {
            parameters.Add("tag." + key, value);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(parameters);
    }

    /// <inheritdoc />
    public override async Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var existing = await _registry.SearchVersionsAsync(
            new ModelVersionQuery { Name = ModelName, Status = ModelVersionStatus.Ready, Tags = new Dictionary<string, string> { [FingerprintTag] = context.Fingerprint } },
            cancellationToken).ConfigureAwait(false);
        var version = existing.Items.Count > 0 ? existing.Items[0] : await RegisterAsync(context, cancellationToken).ConfigureAwait(false);
        return new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [NameKey] = version.Name,
                [VersionKey] = version.Version.ToString(CultureInfo.InvariantCulture),
                ["model.uri"] = version.Uri.ToString(),
                ["model.digest"] = version.Digest ?? string.Empty,
            },
            Metrics = version.Lineage.Metrics.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        };
    }

    /// <inheritdoc />
    public override async ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken)
    {
        var (name, version) = GetVersion(output);
        return await _registry.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false) is { Status: ModelVersionStatus.Ready };
    }

    private async Task<ModelVersion> RegisterAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        var directory = context.GetOutput(ExportStep).GetValue(ExportOnnxPipelineStep.DirectoryKey);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (MetricsStep is not null)
        {
            foreach (var (key, value) in context.GetOutput(MetricsStep).Metrics)
            {
                if (key.StartsWith(MetricsPrefix, StringComparison.Ordinal) && double.IsFinite(value))
                {
                    metrics[key[MetricsPrefix.Length..]] = value;
                }
            }
        }

        ModelUri? baseModel = null;
        if (BaseModelStep is not null)
        {
            var (name, version) = GetVersion(context.GetOutput(BaseModelStep));
            baseModel = ModelUri.ForVersion(name, version);
        }

        var lineage = new ModelLineage
        {
            Datasets = DatasetStep is null ? [] : [DatasetPipelineStep.GetDataset(context.GetOutput(DatasetStep))],
            BaseModel = baseModel,
            TrainingRunId = $"{context.PipelineName}/{context.Fingerprint[..16]}",
            Metrics = metrics,
        };
        var tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal)
        {
            [PipelineTag] = context.PipelineName,
            [FingerprintTag] = context.Fingerprint,
        };
        return await _registry.RegisterVersionAsync(ModelName, directory, lineage, tags, Description, cancellationToken).ConfigureAwait(false);
    }
}
