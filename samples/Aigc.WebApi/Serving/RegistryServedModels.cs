using System.Diagnostics.Metrics;
using Aigc.Inference;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace Aigc.WebApi.Serving;

/// <summary>
/// Serves one registry version: at start it resolves <see cref="WebHostOptions.Model"/> (or seeds the tiny offline
/// model and serves its <c>@champion</c>), loads the version's ONNX file and adapter files into a
/// <see cref="GenerationEngine"/>, and puts a <see cref="TextGenerator"/> and a <see cref="GenerationChatClient"/> over
/// it. It reports the engine's load and queue to the health checks.
/// </summary>
internal sealed partial class RegistryServedModels(
    IModelRegistry registry,
    IOptions<WebHostOptions> options,
    IOptions<AigcOptions> aigc,
    IMeterFactory meterFactory,
    TimeProvider timeProvider,
    ILogger<RegistryServedModels> logger) : IServedModels, IModelHealthSource, IHostedService, IAsyncDisposable
{
    private const string ChampionAlias = "champion";
    private volatile ServedModel[] _models = [];

    /// <inheritdoc />
    public IReadOnlyList<ServedModel> Models => _models;

    /// <inheritdoc />
    public ModelSelection? Find(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        foreach (var model in _models)
        {
            if (string.Equals(modelId, model.Id, StringComparison.Ordinal))
            {
                return new ModelSelection(modelId, model, null);
            }

            if (modelId.Length > model.Id.Length + 1 && modelId.StartsWith(model.Id, StringComparison.Ordinal) && modelId[model.Id.Length] == ServedModel.AdapterSeparator
                && model.Generator.Engine.HasAdapter(modelId[(model.Id.Length + 1)..]))
            {
                return new ModelSelection(modelId, model, modelId[(model.Id.Length + 1)..]);
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ModelHealthSnapshot GetHealth()
    {
        var models = _models;
        var loaded = models.Select(m => $"{m.Id}/{m.Version}").ToList();
        // As AddTextGeneration's health source counts it: requests waiting to join against one running batch.
        var depth = models.Sum(m => m.Generator.Engine.WaitingSequences);
        return new ModelHealthSnapshot("Aigc.WebApi", loaded, depth, QueueCapacity: models.Length * options.Value.MaxRunningSequences);
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var uri = await ResolveUriAsync(cancellationToken).ConfigureAwait(false);
        var version = await registry.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        var served = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        _models = [served];
        LogServing(logger, uri.ToString(), version.Version, served.Generator.Engine.RegisteredAdapters.Count);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var models = _models;
        _models = [];
        foreach (var model in models)
        {
            await model.Generator.Engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<ModelUri> ResolveUriAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.Model))
        {
            return ModelUri.Parse(o.Model);
        }

        var uri = ModelUri.ForAlias(o.SeedModelName, ChampionAlias);
        var existing = await registry.GetModelAsync(o.SeedModelName, cancellationToken).ConfigureAwait(false);
        if (existing?.Aliases.ContainsKey(ChampionAlias) == true)
        {
            return uri;
        }

        var root = aigc.Value.GetFullRootPath();
        LogSeeding(logger, o.SeedTrainingSteps);
        var folder = await TinyModelSeed.EnsureAsync(Path.Combine(root, o.SeedPath), aigc.Value.Seed, o.SeedTrainingSteps, cancellationToken).ConfigureAwait(false);
        var version = await registry.RegisterVersionAsync(
            o.SeedModelName,
            folder,
            tags: new Dictionary<string, string> { ["kind"] = "seed", ["sample"] = "webapi" },
            description: "Tiny GPT-2 decoder with two LoRA adapters, made offline by the web host on first start",
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await registry.SetAliasAsync(o.SeedModelName, ChampionAlias, version.Version, cancellationToken).ConfigureAwait(false);
        LogSeeded(logger, version.Uri.ToString(), folder);
        return uri;
    }

    private async Task<ServedModel> LoadAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var modelFile = version.Artifacts.FirstOrDefault(a => a.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"{version.Uri} has no .onnx file to serve (its files: {string.Join(", ", version.Artifacts.Select(a => a.Path))}).");
        var engine = new GenerationEngine(
            new GenerationEngineOptions
            {
                ModelPath = await registry.GetArtifactPathAsync(version.Name, version.Version, modelFile.Path, cancellationToken).ConfigureAwait(false),
                ModelName = version.Name,
                MaxRunningSequences = options.Value.MaxRunningSequences,
                MaxTokensPerStep = Math.Max(256, options.Value.MaxRunningSequences * 2),
            },
            meterFactory,
            timeProvider);
        try
        {
            foreach (var adapter in version.Artifacts.Where(a => a.Path.EndsWith(".onnx_adapter", StringComparison.OrdinalIgnoreCase)))
            {
                var path = await registry.GetArtifactPathAsync(version.Name, version.Version, adapter.Path, cancellationToken).ConfigureAwait(false);
                engine.RegisterAdapter(Path.GetFileNameWithoutExtension(adapter.Path), path);
            }

            var template = options.Value.ChatTemplate == "plain" ? ChatPromptTemplate.Plain : ChatPromptTemplate.ChatML;
            var generator = new TextGenerator(engine, TiktokenTokenizer.CreateForModel("gpt2"), template);
            return new ServedModel(version.Name, version.Version, generator, new GenerationChatClient(generator), timeProvider.GetUtcNow());
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Uri} (version {Version}, {Adapters} adapter(s))")]
    private static partial void LogServing(ILogger logger, string uri, int version, int adapters);

    [LoggerMessage(Level = LogLevel.Information, Message = "No model to serve yet: making the tiny offline model ({Steps} training steps; first start only)")]
    private static partial void LogSeeding(ILogger logger, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered the tiny offline model as {Uri} from {Folder} and moved @champion to it")]
    private static partial void LogSeeded(ILogger logger, string uri, string folder);
}
