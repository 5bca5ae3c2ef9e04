using System.Diagnostics.Metrics;
using Microsoft.ML.Tokenizers;

namespace Aigc.Inference;

/// <summary>
/// Loads a registered ONNX decoder version as a <see cref="TextGenerator"/> for a <see cref="ModelRouter{TModel}"/>:
/// the version's <c>.onnx</c> file is verified against its SHA-256, a <see cref="GenerationEngine"/> is started on it
/// and warmed up with a one-token generation, and the generator reports the version
/// (<see cref="TextGenerator.ModelVersion"/>) on every result. Unloading stops the engine.
/// </summary>
public sealed class TextGeneratorLoader : IModelVersionLoader<TextGenerator>
{
    private const string AdapterExtension = ".onnx_adapter";

    private readonly GenerationEngineOptions _engineOptions;
    private readonly Tokenizer _tokenizer;
    private readonly ChatPromptTemplate? _template;
    private readonly string? _artifactPath;
    private readonly IMeterFactory? _meterFactory;
    private readonly TimeProvider? _timeProvider;

    /// <summary>Initializes a loader.</summary>
    /// <param name="engineOptions">The engine's settings; <see cref="GenerationEngineOptions.ModelPath"/> is ignored (the version's file is used) and <see cref="GenerationEngineOptions.ModelName"/> defaults to the registered model's name.</param>
    /// <param name="tokenizer">The models' tokenizer.</param>
    /// <param name="template">The chat template, or <see langword="null"/> for ChatML.</param>
    /// <param name="artifactPath">The decoder's path inside the version, or <see langword="null"/> for its only <c>.onnx</c> file (<c>model.onnx</c> when there are several).</param>
    /// <param name="meterFactory">Creates the <c>Aigc.Inference</c> meter; <see langword="null"/> for meters of their own.</param>
    /// <param name="timeProvider">The engines' metrics clock; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engineOptions"/> or <paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="artifactPath"/> is not a valid path inside a version.</exception>
    public TextGeneratorLoader(GenerationEngineOptions engineOptions, Tokenizer tokenizer, ChatPromptTemplate? template = null, string? artifactPath = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(engineOptions);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (artifactPath is not null)
        {
            ModelArtifactSource.ThrowIfInvalidPath(artifactPath, nameof(artifactPath));
        }

        _engineOptions = engineOptions.CopyFor(engineOptions.ModelPath, engineOptions.ModelName);
        _tokenizer = tokenizer;
        _template = template;
        _artifactPath = artifactPath;
        _meterFactory = meterFactory;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Gets the LoRA adapters every loaded version serves: name → <c>.onnx_adapter</c> file. Each is checked against the
    /// version while it loads, so a version they do not fit (no LoRA inputs, other layers or sizes) fails its load
    /// with <see cref="ModelLoadException"/> and the router keeps serving the version it had.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Adapters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets whether each version also serves the adapters it carries: every <c>.onnx_adapter</c> file among its
    /// artifacts, named after the file (a configured adapter of the same name in <see cref="Adapters"/> wins). A
    /// version whose adapters do not fit its model fails its load.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AdaptersFromVersion { get; init; }

    /// <inheritdoc />
    public async ValueTask<TextGenerator> LoadAsync(IModelRegistry registry, ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        var file = await registry.GetArtifactPathAsync(version.Name, version.Version, OnnxArtifact.Find(version, _artifactPath), cancellationToken).ConfigureAwait(false);
        var options = _engineOptions.CopyFor(file, _engineOptions.ModelName ?? version.Name);
        GenerationEngine engine;
        try
        {
            engine = await Task.Run(() => new GenerationEngine(options, _meterFactory, _timeProvider), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or NotSupportedException or InvalidDataException)
        {
            throw new ModelLoadException($"{version.Uri} could not be loaded as a text-generation model: {exception.Message}", exception);
        }

        try
        {
            if (AdaptersFromVersion)
            {
                foreach (var artifact in version.Artifacts.Where(a => a.Path.EndsWith(AdapterExtension, StringComparison.OrdinalIgnoreCase)))
                {
                    var path = await registry.GetArtifactPathAsync(version.Name, version.Version, artifact.Path, cancellationToken).ConfigureAwait(false);
                    engine.RegisterAdapter(Path.GetFileNameWithoutExtension(artifact.Path), path, preload: true);
                }
            }

            foreach (var (name, adapterFile) in Adapters)
            {
                engine.RegisterAdapter(name, adapterFile, preload: true);
            }
        }
        catch (Exception exception)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            if (exception is NotSupportedException or InvalidDataException or FileNotFoundException or ArgumentException)
            {
                throw new ModelLoadException($"{version.Uri} cannot serve its configured adapters: {exception.Message}", exception);
            }

            throw;
        }

        try
        {
            // Warm up: one greedy token through prefill and the first decode step.
            var warmUp = new GenerationRequest([engine.EndOfSequenceTokenId ?? 0]) { Sampling = SamplingOptions.Greedy with { MaxTokens = 1 } };
            await foreach (var _ in engine.GenerateAsync(warmUp, cancellationToken).ConfigureAwait(false))
            {
            }

            return new TextGenerator(engine, _tokenizer, _template) { ModelVersion = version.Uri };
        }
        catch (Exception exception)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            if (exception is OperationCanceledException)
            {
                throw;
            }

            throw new ModelLoadException($"The warm-up generation of {version.Uri} failed: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(TextGenerator model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Engine.DisposeAsync();
    }
}
