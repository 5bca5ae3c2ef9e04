using System.Globalization;
using Aigc.Data;

namespace Aigc.Training;

/// <summary>
/// The dataset step: runs a <see cref="DataPipeline"/> into an <see cref="IDatasetStore"/>. Its fingerprint is the
/// dataset's own, so an unchanged source and pipeline reuse the stored version. Its metrics are the version's counts
/// (<c>in</c>, <c>kept</c>, <c>rejected</c>, <c>deduplicated</c>, <c>split.&lt;name&gt;</c>, <c>label.&lt;label&gt;.&lt;value&gt;</c>).
/// </summary>
public sealed class DatasetPipelineStep : ModelPipelineStep
{
    /// <summary>The output value holding the dataset name.</summary>
    public const string NameKey = "dataset.name";

    /// <summary>The output value holding the dataset version.</summary>
    public const string VersionKey = "dataset.version";

    /// <summary>The output value holding the dataset fingerprint.</summary>
    public const string FingerprintKey = "dataset.fingerprint";

    private readonly DataPipeline _pipeline;
    private readonly IDatasetStore _store;

    /// <summary>Initializes the step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="pipeline">The data pipeline.</param>
    /// <param name="store">The dataset store.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="pipeline"/> or <paramref name="store"/> is <see langword="null"/>.</exception>
    public DatasetPipelineStep(string id, DataPipeline pipeline, IDatasetStore store)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(store);
        _pipeline = pipeline;
        _store = store;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> Inputs => [];

    /// <summary>Reads the dataset reference from this step's output.</summary>
    /// <param name="output">The step's output.</param>
    /// <returns>The dataset version it built or reused.</returns>
    /// <exception cref="InvalidOperationException">The output is not a dataset step's.</exception>
    public static DatasetReference GetDataset(ModelPipelineStepOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new DatasetReference(output.GetValue(NameKey), int.Parse(output.GetValue(VersionKey), CultureInfo.InvariantCulture), output.GetValue(FingerprintKey));
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyDictionary<string, string>> DescribeAsync(CancellationToken cancellationToken) =>
        new StepParameters().Add("dataset", _pipeline.Name).Add("fingerprint", await _pipeline.ComputeFingerprintAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public override async Task<ModelPipelineStepOutput> ExecuteAsync(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await _pipeline.RunAsync(_store, cancellationToken: cancellationToken).ConfigureAwait(false);
        var manifest = result.Manifest;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["in"] = manifest.Counts.In,
            ["kept"] = manifest.Counts.Kept,
            ["rejected"] = manifest.Counts.Rejected,
            ["deduplicated"] = manifest.Counts.Deduplicated,
        };
        foreach (var (split, count) in manifest.Splits)
        {
            metrics["split." + split] = count;
        }

        foreach (var (label, values) in manifest.Labels)
        {
            foreach (var (value, count) in values)
            {
                metrics[$"label.{label}.{value}"] = count;
            }
        }

        return new ModelPipelineStepOutput
        {
            Values = new Dictionary<string, string>
            {
                [NameKey] = manifest.Name,
                [VersionKey] = manifest.Version.ToString(CultureInfo.InvariantCulture),
                [FingerprintKey] = manifest.Fingerprint,
                ["dataset.reused"] = result.Reused ? "true" : "false",
            },
            Metrics = metrics,
        };
    }

    /// <inheritdoc />
    public override async ValueTask<bool> IsReusableAsync(ModelPipelineStepOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var dataset = GetDataset(output);
        return await _store.FindAsync(dataset.Name, dataset.Fingerprint, cancellationToken).ConfigureAwait(false) is { } found && found.Version == dataset.Version;
    }
}
