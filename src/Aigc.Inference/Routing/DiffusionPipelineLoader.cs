using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>
/// Loads a registered version of an image-generation model — a folder in the Optimum Stable Diffusion layout
/// registered as a whole — as a <see cref="DiffusionPipeline"/> for a <see cref="ModelRouter{TModel}"/>, so image
/// models hot-swap, canary and roll back through aliases like text models. The version's files are exported, checked
/// against their SHA-256, into a folder of their own (the ONNX files and their external data must sit side by side),
/// the pipeline is loaded and warmed with a one-step image, and on unload it is disposed and the folder deleted.
/// </summary>
public sealed class DiffusionPipelineLoader : IModelVersionLoader<DiffusionPipeline>
{
    private readonly DiffusionPipelineOptions _options;
    private readonly string _workDirectory;
    private readonly IMeterFactory? _meterFactory;
    private readonly TimeProvider? _timeProvider;
    private readonly ILogger? _logger;

    /// <summary>Creates the loader.</summary>
    /// <param name="options">The pipeline settings every loaded version gets (<see cref="DiffusionPipelineOptions.ModelPath"/> is set per version).</param>
    /// <param name="workDirectory">Where versions are exported to, one folder each; the temporary folder when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the pipelines' meters.</param>
    /// <param name="timeProvider">The pipelines' clock.</param>
    /// <param name="logger">The pipelines' logger.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public DiffusionPipelineLoader(DiffusionPipelineOptions options, string? workDirectory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _workDirectory = workDirectory ?? Path.Combine(Path.GetTempPath(), "aigc-diffusion-versions");
        _meterFactory = meterFactory;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<DiffusionPipeline> LoadAsync(IModelRegistry registry, ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        var folder = Path.Combine(_workDirectory, $"{version.Name}-{version.Version}-{Guid.NewGuid():N}");
        DiffusionPipeline? pipeline = null;
        try
        {
            await registry.ExportArtifactsAsync(version.Name, version.Version, folder, cancellationToken).ConfigureAwait(false);
            var options = new DiffusionPipelineOptions
            {
                ModelPath = folder,
                ModelName = _options.ModelName ?? version.Name,
                Scheduler = _options.Scheduler,
                MaxBatchSize = _options.MaxBatchSize,
                ExecutionProvider = _options.ExecutionProvider,
                IntraOpThreads = _options.IntraOpThreads,
            };
            pipeline = await Task.Run(() => new DiffusionPipeline(options, _meterFactory, _timeProvider, _logger), cancellationToken).ConfigureAwait(false);

            // Warm up: one denoising step of one image, without the unconditional branch.
            await pipeline.GenerateAsync(new DiffusionRequest { Prompt = "warm-up", Steps = 1, GuidanceScale = 1f, Seed = 0 }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return pipeline;
        }
        catch (Exception exception)
        {
            if (pipeline is not null)
            {
                await pipeline.DisposeAsync().ConfigureAwait(false);
            }

            Delete(folder);
            if (exception is OperationCanceledException or ModelArtifactIntegrityException)
            {
                throw;
            }

            throw new ModelLoadException($"{version.Uri} could not be loaded as a diffusion pipeline: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask UnloadAsync(DiffusionPipeline model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = model.ModelPath;
        await model.DisposeAsync().ConfigureAwait(false);
        Delete(folder);
    }

    private static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still mapped by a closing session: the temporary folder is cleaned up by the system.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
