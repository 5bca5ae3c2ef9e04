using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Inference;

/// <summary>
/// Loads the models of <see cref="InferenceOptions.Models"/> on first use, one <see cref="BatchedModel"/> per name,
/// and disposes them with the container. Behind the keyed <see cref="BatchedModel"/> services.
/// </summary>
internal sealed class InferenceModelHost : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, BatchedModel> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly IOptions<InferenceOptions> _options;
    private readonly TimeProvider _time;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly object _gate = new();
    private bool _disposed;

    public InferenceModelHost(IOptions<InferenceOptions> options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _meterFactory = meterFactory;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The loaded models and their queues' depth and capacity, added up; <see langword="null"/> when no model is configured.</summary>
    public ModelHealthSnapshot? GetHealth()
    {
        lock (_gate)
        {
            if (_models.Count == 0 && _options.Value.Models.Count == 0)
            {
                return null;
            }

            var loaded = new List<string>(_models.Count);
            int depth = 0, capacity = 0;
            foreach (var (name, model) in _models)
            {
                loaded.Add(name);
                depth += model.PendingRequests;
                capacity += model.Options.MaxQueueSize;
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

            var options = _options.Value;
            if (!options.Models.TryGetValue(name, out var settings) || settings?.Path is not { Length: > 0 } path)
            {
                var known = options.Models.Count == 0 ? "none is configured" : "the configured models are: " + string.Join(", ", options.Models.Keys);
                throw new InvalidOperationException($"No model named '{name}' is configured under Aigc:Inference:Models ({known}). Add it in configuration or with AddInference(o => o.AddModel(\"{name}\", path)).");
            }

            var sessionOptions = settings.Session.Clone();
            sessionOptions.ExecutionProvider ??= options.ExecutionProvider;
            sessionOptions.DeviceId ??= options.DeviceId;
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

    public async ValueTask DisposeAsync()
    {
        foreach (var model in TakeAll())
        {
            await model.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var model in TakeAll())
        {
            model.Dispose();
        }
    }

    private BatchedModel[] TakeAll()
    {
        lock (_gate)
        {
            _disposed = true;
            var models = _models.Values.ToArray();
            _models.Clear();
            return models;
        }
    }
}
