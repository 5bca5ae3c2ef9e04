using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Aigc.Inference;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace Aigc.WebApi.Serving;

/// <summary>
/// Serves a registry model through a <see cref="ModelRouter{TModel}"/> of <see cref="TextGenerator"/>s, so moving its
/// alias (for example with <c>POST /admin/models/{name}/alias</c>) swaps the served version without dropping a
/// request. At start it resolves <see cref="WebHostOptions.Model"/> (or seeds the tiny offline model and serves its
/// <c>@champion</c>) and loads it; every version serves the <c>.onnx_adapter</c> files it carries. Each request holds
/// a lease on the version it started on until it ends. It reports the router's versions and the engine's queue to the
/// health checks.
/// </summary>
internal sealed partial class RoutedServedModels(
    IModelRegistry registry,
    IOptions<WebHostOptions> options,
    IOptions<AigcOptions> aigc,
    IMeterFactory meterFactory,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IServedModels, IModelHealthSource, IHostedService, IAsyncDisposable
{
    private const string ChampionAlias = "champion";
    private readonly ConditionalWeakTable<TextGenerator, ServedModel> _served = [];
    private readonly ILogger _logger = loggerFactory.CreateLogger<RoutedServedModels>();
    private ModelRouter<TextGenerator>? _router;
    private volatile ServedModel? _latest;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ServedModel>> ListAsync(CancellationToken cancellationToken)
    {
        using var lease = await Router.AcquireAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return [Served(lease)];
    }

    /// <inheritdoc />
    public async ValueTask<ModelSelection?> AcquireAsync(string modelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var lease = await Router.AcquireAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var model = Served(lease);
        if (string.Equals(modelId, model.Id, StringComparison.Ordinal))
        {
            return new ModelSelection(modelId, model, null, lease);
        }

        if (modelId.Length > model.Id.Length + 1 && modelId.StartsWith(model.Id, StringComparison.Ordinal) && modelId[model.Id.Length] == ServedModel.AdapterSeparator
            && model.Generator.Engine.HasAdapter(modelId[(model.Id.Length + 1)..]))
        {
            return new ModelSelection(modelId, model, modelId[(model.Id.Length + 1)..], lease);
        }

        lease.Dispose();
        return null;
    }

    /// <inheritdoc />
    public ModelHealthSnapshot GetHealth()
    {
        if (_router is not { } router)
        {
            return new ModelHealthSnapshot("Aigc.WebApi", [], 0, QueueCapacity: options.Value.MaxRunningSequences);
        }

        var loaded = router.GetStatus().LoadedVersions.Select(v => $"{router.ModelName}/{v}").ToList();
        // As AddTextGeneration's health source counts it: requests waiting to join against one running batch.
        var depth = _latest?.Generator.Engine.WaitingSequences ?? 0;
        return new ModelHealthSnapshot("Aigc.WebApi", loaded, depth, QueueCapacity: options.Value.MaxRunningSequences);
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var uri = await ResolveUriAsync(cancellationToken).ConfigureAwait(false);
        var template = options.Value.ChatTemplate == "plain" ? ChatPromptTemplate.Plain : ChatPromptTemplate.ChatML;
        var engine = new GenerationEngineOptions
        {
            MaxRunningSequences = options.Value.MaxRunningSequences,
            MaxTokensPerStep = Math.Max(256, options.Value.MaxRunningSequences * 2),
        };
        var loader = new TextGeneratorLoader(engine, TiktokenTokenizer.CreateForModel("gpt2"), template, meterFactory: meterFactory, timeProvider: timeProvider)
        {
            AdaptersFromVersion = true,
        };
        var routing = new ModelRouterOptions();
        routing.Routes.Add(new ModelRoute { Target = uri.ToString() });
        _router = new ModelRouter<TextGenerator>(registry, uri.Name, loader, routing, loggerFactory.CreateLogger("Aigc.WebApi.Routing"), meterFactory, timeProvider);

        // Load now, so a model that cannot be served fails the start instead of the first request.
        using var lease = await _router.AcquireAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        LogServing(_logger, uri.ToString(), lease.Version.Version, lease.Model.Engine.RegisteredAdapters.Count);
        Served(lease);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_router is { } router)
        {
            _router = null;
            await router.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ModelRouter<TextGenerator> Router => _router ?? throw new InvalidOperationException("The web host has not started serving yet.");

    /// <summary>The served model over a lease's version (made once per loaded version).</summary>
    private ServedModel Served(ModelLease<TextGenerator> lease)
    {
        var version = lease.Version;
        var model = _served.GetValue(lease.Model, generator => new ServedModel(version.Name, version.Version, generator, new GenerationChatClient(generator), timeProvider.GetUtcNow()));
        _latest = model;
        return model;
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
        LogSeeding(_logger, o.SeedTrainingSteps);
        var folder = await TinyModelSeed.EnsureAsync(Path.Combine(root, o.SeedPath), aigc.Value.Seed, o.SeedTrainingSteps, cancellationToken).ConfigureAwait(false);
        var version = await registry.RegisterVersionAsync(
            o.SeedModelName,
            folder,
            tags: new Dictionary<string, string> { ["kind"] = "seed", ["sample"] = "webapi" },
            description: "Tiny GPT-2 decoder with two LoRA adapters, made offline by the web host on first start",
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await registry.SetAliasAsync(o.SeedModelName, ChampionAlias, version.Version, cancellationToken).ConfigureAwait(false);
        LogSeeded(_logger, version.Uri.ToString(), folder);
        return uri;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Uri} (version {Version}, {Adapters} adapter(s)); moving the alias swaps the version")]
    private static partial void LogServing(ILogger logger, string uri, int version, int adapters);

    [LoggerMessage(Level = LogLevel.Information, Message = "No model to serve yet: making the tiny offline model ({Steps} training steps; first start only)")]
    private static partial void LogSeeding(ILogger logger, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered the tiny offline model as {Uri} from {Folder} and moved @champion to it")]
    private static partial void LogSeeded(ILogger logger, string uri, string folder);
}
