using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>
/// Loads a registered ONNX model version as a <see cref="BatchedModel"/> for a <see cref="ModelRouter{TModel}"/>: the
/// version's <c>.onnx</c> file is verified against its SHA-256, loaded into a <see cref="ModelSession"/> (warmed up
/// with one run), and served through a dynamic batcher; unloading drains the batcher and releases the session.
/// </summary>
public sealed class BatchedModelLoader : IModelVersionLoader<BatchedModel>
{
    private readonly ModelSessionOptions _sessionOptions;
    private readonly BatchingOptions _batchingOptions;
    private readonly string? _artifactPath;
    private readonly bool _makeBatchDimensionSymbolic;
    private readonly TimeProvider? _timeProvider;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Initializes a loader.</summary>
    /// <param name="sessionOptions">How sessions are created; <see langword="null"/> for the defaults (warm-up on).</param>
    /// <param name="batchingOptions">How requests are batched; <see langword="null"/> for the defaults.</param>
    /// <param name="artifactPath">The model file's path inside the version, or <see langword="null"/> for its only <c>.onnx</c> file (<c>model.onnx</c> when there are several).</param>
    /// <param name="makeBatchDimensionSymbolic">Whether to make a fixed batch dimension symbolic at load (model-zoo files fixed at batch 1).</param>
    /// <param name="timeProvider">The batchers' clock; <see langword="null"/> for the system clock.</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter; <see langword="null"/> for meters of their own.</param>
    /// <param name="loggerFactory">Creates the sessions' and batchers' loggers; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException"><paramref name="artifactPath"/> is not a valid path inside a version.</exception>
    public BatchedModelLoader(
        ModelSessionOptions? sessionOptions = null,
        BatchingOptions? batchingOptions = null,
        string? artifactPath = null,
        bool makeBatchDimensionSymbolic = false,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        ILoggerFactory? loggerFactory = null)
    {
        if (artifactPath is not null)
        {
            ModelArtifactSource.ThrowIfInvalidPath(artifactPath, nameof(artifactPath));
        }

        _sessionOptions = sessionOptions?.Clone() ?? new ModelSessionOptions();
        _batchingOptions = batchingOptions?.Clone() ?? new BatchingOptions();
        _artifactPath = artifactPath;
        _makeBatchDimensionSymbolic = makeBatchDimensionSymbolic;
        _timeProvider = timeProvider;
        _meterFactory = meterFactory;
        _loggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public async ValueTask<BatchedModel> LoadAsync(IModelRegistry registry, ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        var file = await registry.GetArtifactPathAsync(version.Name, version.Version, OnnxArtifact.Find(version, _artifactPath), cancellationToken).ConfigureAwait(false);
        var name = version.Uri.ToString();
        var logger = _loggerFactory?.CreateLogger("Aigc.Inference." + version.Name);

        // Loading and the warm-up run are CPU work: keep them off the caller's thread.
        return await Task.Run(
            () =>
            {
                var session = _makeBatchDimensionSymbolic
                    ? ModelSession.LoadFromBytes(OnnxModelPreparation.MakeBatchDimensionSymbolic(File.ReadAllBytes(file)), name, _sessionOptions, logger)
                    : ModelSession.Load(file, _sessionOptions, logger, name);
                try
                {
                    return BatchedModel.Own(session, _batchingOptions, _timeProvider, _meterFactory, logger);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(BatchedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.DisposeAsync();
    }
}
