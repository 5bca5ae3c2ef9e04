using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Inference;

/// <summary>
/// Loads the models of <see cref="InferenceOptions.Models"/> on first use, one <see cref="BatchedModel"/> per file
/// model and one <see cref="ModelRouter{TModel}"/> per registered model, and disposes them with the container.
/// Behind the keyed <see cref="BatchedModel"/> and <see cref="ModelRouter{TModel}"/> services.
/// </summary>
internal sealed class InferenceModelHost : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, BatchedModel> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ModelRouter<BatchedModel>> _routers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IModelRegistry? _registry;
    private readonly IOptions<InferenceOptions> _options;
    private readonly TimeProvider _time;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly object _gate = new();
    private bool _disposed;

    public InferenceModelHost(IOptions<InferenceOptions> options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, ILoggerFactory? loggerFactory = null, IModelRegistry? registry = null)
    {
        _options = options;
        _registry = registry;
        _time = timeProvider ?? TimeProvider.System;
        _meterFactory = meterFactory;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The loaded models and their queues' depth and capacity, added up; <see langword="null"/> when no model is configured.</summary>
    public ModelHealthSnapshot? GetHealth()
    {
        lock (_gate)
        {
            // Models and routers are only made for configured names: with none configured, there is nothing to report.
            if (_options.Value.Models.Count == 0)
            {
                return null;
            }

            var loaded = new List<string>(_models.Count + _routers.Count);
            int depth = 0, capacity = 0;
            foreach (var (name, model) in _models)
            {
                loaded.Add(name);
                depth += model.PendingRequests;
                capacity += model.Options.MaxQueueSize;
            }

            foreach (var router in _routers.Values)
            {
                foreach (var route in router.GetStatus().Routes)
                {
                    if (route.ServingVersion is { } version)
                    {
                        loaded.Add($"{route.Target} -> {version.Uri}");
                    }
                }
            }

            return new ModelHealthSnapshot("Aigc.Inference", loaded, depth, capacity);
        }
    }

    public BatchedModel Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_models.TryGetValue(name, out var model))
            {
                return model;
            }

            var (options, settings) = Find(name);
            if (settings.Path is not { Length: > 0 } path)
            {
                throw new InvalidOperationException(
                    $"Model '{name}' is served from the registry ({settings.Model}), so its version can change at any time: take the keyed ModelRouter<BatchedModel> instead and run requests with router.InferAsync(request) (or lease a version with AcquireAsync), so every answer carries the version that produced it.");
            }

            var sessionOptions = SessionOptions(options, settings);
            var logger = _loggerFactory?.CreateLogger("Aigc.Inference." + name);
            ModelSession session;
            if (settings.MakeBatchDimensionSymbolic)
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"The file of model '{name}' ('{path}') does not exist.", path);
                }

                session = ModelSession.LoadFromBytes(OnnxModelPreparation.MakeBatchDimensionSymbolic(File.ReadAllBytes(path)), name, sessionOptions, logger);
            }
            else
            {
                session = ModelSession.Load(path, sessionOptions, logger, name);
            }

            try
            {
                model = BatchedModel.Own(session, settings.Batching, _time, _meterFactory, logger);
            }
            catch
            {
                session.Dispose();
                throw;
            }

            _models.Add(name, model);
            return model;
        }
    }

    public ModelRouter<BatchedModel> GetRouter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_routers.TryGetValue(name, out var router))
            {
                return router;
            }

            var (options, settings) = Find(name);
            if (settings.Model is not { Length: > 0 } source)
            {
                throw new InvalidOperationException($"Model '{name}' is a local file ({settings.Path}), not a registered model: take the keyed BatchedModel instead.");
            }

            var registry = _registry ?? throw new InvalidOperationException(
                $"Model '{name}' is served from the registry ({source}), but no IModelRegistry is registered: call AddModelRegistry() on the Aigc builder.");
            if (!ModelTarget.TryParse(source, out var target, out var error))
            {
                throw new InvalidOperationException($"Model '{name}': {error}");
            }

            var routing = settings.Routing.Clone();
            if (routing.Routes.Count == 0)
            {
                routing.Routes.Add(new ModelRoute { Target = source });
            }

            var loader = new BatchedModelLoader(SessionOptions(options, settings), settings.Batching, makeBatchDimensionSymbolic: settings.MakeBatchDimensionSymbolic, timeProvider: _time, meterFactory: _meterFactory, loggerFactory: _loggerFactory);
            router = new ModelRouter<BatchedModel>(registry, target.ModelName ?? name, loader, routing, _loggerFactory?.CreateLogger("Aigc.Inference.Routing." + name), _meterFactory, _time);
            _routers.Add(name, router);
            return router;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var (models, routers) = TakeAll();
        foreach (var model in models)
        {
            await model.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var router in routers)
        {
            await router.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        var (models, routers) = TakeAll();
        foreach (var model in models)
        {
            model.Dispose();
        }

        foreach (var router in routers)
        {
            router.Dispose();
        }
    }

    private static ModelSessionOptions SessionOptions(InferenceOptions options, InferenceModelOptions settings)
    {
        var sessionOptions = settings.Session.Clone();
        sessionOptions.ExecutionProvider ??= options.ExecutionProvider;
        sessionOptions.DeviceId ??= options.DeviceId;
        return sessionOptions;
    }

    private (InferenceOptions Options, InferenceModelOptions Settings) Find(string name)
    {
        var options = _options.Value;
        if (!options.Models.TryGetValue(name, out var settings) || settings is null)
        {
            var known = options.Models.Count == 0 ? "none is configured" : "the configured models are: " + string.Join(", ", options.Models.Keys);
            throw new InvalidOperationException($"No model named '{name}' is configured under Aigc:Inference:Models ({known}). Add it in configuration or with AddInference(o => o.Models.Add(\"{name}\", \"@champion\")) or o.AddModel(\"{name}\", path).");
        }

        return (options, settings);
    }

    private (BatchedModel[] Models, ModelRouter<BatchedModel>[] Routers) TakeAll()
    {
        lock (_gate)
        {
            _disposed = true;
            var models = _models.Values.ToArray();
            var routers = _routers.Values.ToArray();
            _models.Clear();
            _routers.Clear();
            return (models, routers);
        }
    }
}
