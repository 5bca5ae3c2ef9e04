using Microsoft.ML.OnnxRuntime;

namespace Aigc.Inference;

/// <summary>
/// The engine's LoRA adapters: registered by name with a file, loaded on first use, at most a set number resident;
/// the least recently used idle adapter is unloaded to make room. An adapter in use is never unloaded under a
/// running sequence: unloading or replacing it takes effect when its last sequence ends.
/// </summary>
internal sealed class AdapterCache : IDisposable
{
    private readonly DecoderModel _model;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedListNode<ResidentAdapter>> _resident = new(StringComparer.Ordinal);
    private readonly LinkedList<ResidentAdapter> _recency = []; // most recently used first

    public AdapterCache(DecoderModel model, int capacity)
    {
        _model = model;
        _capacity = capacity;
    }

    public IReadOnlyCollection<string> Registered
    {
        get
        {
            lock (_lock)
            {
                return [.. _registered.Keys];
            }
        }
    }

    public IReadOnlyCollection<string> Resident
    {
        get
        {
            lock (_lock)
            {
                return [.. _resident.Keys];
            }
        }
    }

    public bool IsRegistered(string name)
    {
        lock (_lock)
        {
            return _registered.ContainsKey(name);
        }
    }

    public void Register(string name, string path, bool preload)
    {
        if (_model.LoraInputNames.Count == 0)
        {
            throw new NotSupportedException(
                $"Model '{_model.Name}' has no LoRA inputs, so it cannot serve adapters. Export it with OnnxExportOptions.LoraInputs (or merge the adapter into the weights and serve that model).");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The adapter file '{path}' for adapter '{name}' does not exist.", path);
        }

        lock (_lock)
        {
            _registered[name] = path;
            if (_resident.TryGetValue(name, out var node) && node.Value.Path != path)
            {
                Detach(node);
            }
        }

        if (preload)
        {
            Acquire(name).Release();
        }
    }

    public bool Unregister(string name)
    {
        lock (_lock)
        {
            if (_resident.TryGetValue(name, out var node))
            {
                Detach(node);
            }

            return _registered.Remove(name);
        }
    }

    /// <summary>Returns a lease on the named adapter, loading it (and checking it against the model) when it is not resident.</summary>
    public AdapterLease Acquire(string name)
    {
        string path;
        lock (_lock)
        {
            if (_resident.TryGetValue(name, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                node.Value.Users++;
                return new AdapterLease(this, node.Value);
            }

            if (!_registered.TryGetValue(name, out path!))
            {
                throw new KeyNotFoundException(
                    $"No adapter named '{name}' is registered with model '{_model.Name}'. Registered: {(_registered.Count == 0 ? "none" : string.Join(", ", _registered.Keys))}. Register it with GenerationEngine.RegisterAdapter.");
            }
        }

        // Load outside the lock (file I/O and a check run); a concurrent load of the same adapter keeps the first.
        var loaded = Load(name, path);
        lock (_lock)
        {
            if (_resident.TryGetValue(name, out var node))
            {
                loaded.Dispose();
            }
            else
            {
                node = _recency.AddFirst(loaded);
                _resident[name] = node;
                EvictIdle();
            }

            node.Value.Users++;
            return new AdapterLease(this, node.Value);
        }
    }

    public void Release(ResidentAdapter adapter)
    {
        lock (_lock)
        {
            adapter.Users--;
            if (adapter.Users == 0 && adapter.Detached)
            {
                adapter.Dispose();
            }
            else
            {
                EvictIdle();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var adapter in _recency)
            {
                adapter.Dispose();
            }

            _recency.Clear();
            _resident.Clear();
        }
    }

    private ResidentAdapter Load(string name, string path)
    {
        if (_model.PerRowAdapters)
        {
            return LoadMatrices(name, path);
        }

        OrtLoraAdapter adapter;
        try
        {
            adapter = OrtLoraAdapter.Create(path, null);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"Adapter '{name}' ('{path}') is not a valid .onnx_adapter file: {e.Message}", e);
        }

        var resident = new ResidentAdapter(name, path, adapter);
        try
        {
            Check(resident);
            return resident;
        }
        catch
        {
            resident.Dispose();
            throw;
        }
    }

    /// <summary>Reads a per-row export's adapter and checks every matrix against the model's LoRA layers.</summary>
    private ResidentAdapter LoadMatrices(string name, string path)
    {
        List<OnnxAdapterFile.Parameter> parameters;
        try
        {
            parameters = OnnxAdapterFile.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Adapter '{name}' ('{path}') is not a valid .onnx_adapter file: {e.Message}", e);
        }

        var matrices = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        var rank = 0;
        foreach (var parameter in parameters)
        {
            if (!_model.LoraInputNames.Contains(parameter.Name))
            {
                problems.Add($"'{parameter.Name}' is not a LoRA input of the model");
            }
            else if (parameter.Dims.Length != 2)
            {
                problems.Add($"'{parameter.Name}' has {parameter.Dims.Length} dims, not 2");
            }
        }

        foreach (var layer in _model.StackedLora)
        {
            var hasA = matrices.TryGetValue(layer.LoraA, out var a);
            var hasB = matrices.TryGetValue(layer.LoraB, out var b);
            if (hasA != hasB)
            {
                problems.Add($"'{(hasA ? layer.LoraB : layer.LoraA)}' is missing (A and B come in pairs)");
            }
            else if (hasA && a!.Dims.Length == 2 && b!.Dims.Length == 2)
            {
                if (a.Dims[1] != layer.InFeatures || b.Dims[0] != layer.OutFeatures || a.Dims[0] != b.Dims[1])
                {
                    problems.Add($"'{layer.LoraA}' [{string.Join(", ", a.Dims)}] and '{layer.LoraB}' [{string.Join(", ", b.Dims)}] do not fit the layer's [r, {layer.InFeatures}] and [{layer.OutFeatures}, r]");
                }
                else
                {
                    rank = Math.Max(rank, (int)a.Dims[0]);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"Adapter '{name}' ('{path}') does not fit model '{_model.Name}': {string.Join("; ", problems)}.");
        }

        return new ResidentAdapter(name, path, matrices, rank);
    }

    /// <summary>Runs one token with the adapter, so an adapter for other layers or shapes fails here, not in a shared step.</summary>
    private void Check(ResidentAdapter adapter)
    {
        var batch = new KvBatch(_model);
        batch.StartSingle(null!);
        batch.PrepareInputs(1);
        batch.Ids[0] = 0;
        batch.Positions[0] = 0;
        try
        {
            batch.Run(adapter.RunOptions!, 1);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException(
                $"Adapter '{adapter.Name}' ('{adapter.Path}') does not fit model '{_model.Name}': {e.Message} The model takes LoRA inputs {string.Join(", ", _model.LoraInputNames.Order(StringComparer.Ordinal).Take(4))}…",
                e);
        }
    }

    private void EvictIdle()
    {
        var node = _recency.Last;
        while (_resident.Count > _capacity && node is not null)
        {
            var previous = node.Previous;
            if (node.Value.Users == 0)
            {
                Detach(node);
            }

            node = previous;
        }
    }

    private void Detach(LinkedListNode<ResidentAdapter> node)
    {
        var adapter = node.Value;
        _recency.Remove(node);
        _resident.Remove(adapter.Name);
        adapter.Detached = true;
        if (adapter.Users == 0)
        {
            adapter.Dispose();
        }
    }
}
