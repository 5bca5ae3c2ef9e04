using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// LoRA on a <see cref="Gpt2LanguageModel"/>, as PEFT does it: target layers get low-rank adapters (A <c>[r, in]</c>,
/// B <c>[out, r]</c>), the base weights are frozen, and only the active adapter (plus the biases and
/// <c>modules_to_save</c> its configuration names) trains. Several named adapters can be attached; one is active.
/// </summary>
public sealed class LoraModel : ITrainableLanguageModel
{
    /// <summary>The adapter configuration file PEFT reads.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>The adapter weights file PEFT reads.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>The adapter name PEFT uses when none is given.</summary>
    public const string DefaultAdapterName = "default";

    private readonly Dictionary<string, LoraConfig> _adapters = new(StringComparer.Ordinal);
    private readonly List<(string Path, Conv1D Layer)> _layers;
    private bool _disabled;

    private LoraModel(Gpt2LanguageModel model)
    {
        Model = model;
        // TorchSharp's named_modules also lists modules under their C# member names: keep the paths that name
        // parameters (the registered, Hugging Face paths), once per layer.
        var parameterNames = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        _layers = model.named_modules()
            .Where(m => m.module is Conv1D && parameterNames.Contains(m.name + ".weight"))
            .DistinctBy(m => m.module)
            .Select(m => (m.name, (Conv1D)m.module))
            .ToList();
    }

    /// <summary>Gets the wrapped model (its forward pass includes the active adapter).</summary>
    public Gpt2LanguageModel Model { get; }

    /// <inheritdoc />
    public string Method => "lora";

    /// <summary>Gets the attached adapters and their configurations.</summary>
    public IReadOnlyDictionary<string, LoraConfig> Adapters => _adapters;

    /// <summary>Gets the active adapter's name.</summary>
    public string ActiveAdapter { get; private set; } = DefaultAdapterName;

    /// <summary>Gets the paths of the layers the active adapter wraps.</summary>
    public IReadOnlyList<string> TargetPaths => _layers.Where(l => l.Layer.LoraAdapters.Contains(ActiveAdapter)).Select(l => l.Path).ToList();

    /// <summary>Wraps a model with a first adapter, freezes the base weights and makes the adapter trainable.</summary>
    /// <param name="model">The base model.</param>
    /// <param name="config">The adapter's configuration.</param>
    /// <param name="adapterName">The adapter's name.</param>
    /// <returns>The LoRA model.</returns>
    /// <exception cref="NotSupportedException">The configuration is invalid or matches no layer; the message lists the layers.</exception>
    public static LoraModel Create(Gpt2LanguageModel model, LoraConfig config, string adapterName = DefaultAdapterName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var lora = new LoraModel(model);
        lora.AddAdapter(adapterName, config);
        lora.SetActiveAdapter(adapterName);
        return lora;
    }

    /// <summary>Attaches another adapter (it does not become active).</summary>
    /// <param name="name">The adapter name.</param>
    /// <param name="config">Its configuration.</param>
    /// <exception cref="ArgumentException">An adapter with that name exists.</exception>
    /// <exception cref="NotSupportedException">The configuration is invalid or matches no layer.</exception>
    public void AddAdapter(string name, LoraConfig config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(config);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Adapter name '{name}' may not contain '.'.", nameof(name));
        }

        if (_adapters.ContainsKey(name))
        {
            throw new ArgumentException($"An adapter named '{name}' is already attached.", nameof(name));
        }

        config.Validate();
        var targets = _layers.Where(l => config.IsTarget(l.Path)).ToList();
        if (targets.Count == 0)
        {
            throw new NotSupportedException(
                $"LoRA target_modules {config.TargetModulesJson} match no layer. The layers are: {string.Join(", ", _layers.Select(l => l.Path))}. The LM head is tied to wte and never targeted.");
        }

        foreach (var (path, layer) in targets)
        {
            layer.AddLoraAdapter(name, config.RankFor(path), config.ScalingFor(path), config.Dropout, config.Init);
        }

        _adapters[name] = config;
        if (_adapters.Count == 1)
        {
            SetActiveAdapter(name);
        }
    }

    /// <summary>Makes an adapter the active one: its update is applied and it alone trains.</summary>
    /// <param name="name">The adapter name.</param>
    /// <exception cref="KeyNotFoundException">No adapter has that name.</exception>
    public void SetActiveAdapter(string name)
    {
        if (!_adapters.TryGetValue(name, out var config))
        {
            throw new KeyNotFoundException($"No adapter named '{name}'. Attached: {string.Join(", ", _adapters.Keys)}.");
        }

        ActiveAdapter = name;
        IReadOnlyList<string> active = [name];
        foreach (var (_, layer) in _layers)
        {
            layer.ActiveAdapters = active;
            layer.AdaptersDisabled = _disabled;
        }

        foreach (var (_, parameter) in Model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        foreach (var (path, parameter) in Model.named_parameters())
        {
            var isActiveLora = path.Contains(".lora_A." + name + ".", StringComparison.Ordinal) || path.Contains(".lora_B." + name + ".", StringComparison.Ordinal);
            parameter.requires_grad = isActiveLora || IsSavedBaseParameter(config, path);
        }
    }

    /// <summary>Gets or sets whether the adapters are bypassed, so the model computes as its base.</summary>
    public bool AdaptersDisabled
    {
        get => _disabled;
        set
        {
            _disabled = value;
            foreach (var (_, layer) in _layers)
            {
                layer.AdaptersDisabled = value;
            }
        }
    }

    /// <summary>Adds the active adapter's update into the base weights (faster inference; <see cref="Unmerge"/> undoes it).</summary>
    public void Merge()
    {
        foreach (var (_, layer) in _layers)
        {
            layer.Merge(ActiveAdapter);
        }
    }

    /// <summary>Takes the merged update out of the base weights again.</summary>
    public void Unmerge()
    {
        foreach (var (_, layer) in _layers)
        {
            layer.Unmerge(ActiveAdapter);
        }
    }

    /// <summary>
    /// Returns a new plain model whose weights are the base weights with the active adapter merged in (PEFT's
    /// <c>merge_and_unload</c>); this LoRA model is left as it was.
    /// </summary>
    /// <returns>The merged model, without adapters, every parameter trainable.</returns>
    public Gpt2LanguageModel MergeAndUnload()
    {
        var disabled = AdaptersDisabled;
        AdaptersDisabled = false;
        var wasMerged = _layers.Any(l => l.Layer.IsMerged(ActiveAdapter));
        Merge();
        var merged = new Gpt2LanguageModel(Model.Config);
        var source = Model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in merged.named_parameters())
            {
                parameter.copy_(source[name]);
            }
        }

        if (!wasMerged)
        {
            Unmerge();
        }

        AdaptersDisabled = disabled;
        if (!Model.training)
        {
            merged.eval();
        }

        return merged;
    }

    /// <summary>Returns the parameters that train (requires_grad), by name.</summary>
    /// <returns>The trainable parameters.</returns>
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() =>
        Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();

    /// <summary>Counts trainable and total parameters (adapters included in the total, as PEFT prints them).</summary>
    /// <returns>The counts.</returns>
    public (long Trainable, long Total) CountParameters()
    {
        long trainable = 0, total = 0;
        foreach (var (_, parameter) in Model.named_parameters())
        {
            total += parameter.numel();
            if (parameter.requires_grad)
            {
                trainable += parameter.numel();
            }
        }

        return (trainable, total);
    }

    /// <summary>
    /// Returns an adapter's tensors under PEFT's saved keys: <c>base_model.model.&lt;path&gt;.lora_A.weight</c> and
    /// <c>…lora_B.weight</c> (adapter name stripped), plus biases and <c>modules_to_save</c> as its config says.
    /// </summary>
    /// <param name="name">The adapter name, or <see langword="null"/> for the active one.</param>
    /// <returns>The tensors by key (views of the live parameters).</returns>
    public IReadOnlyDictionary<string, Tensor> GetAdapterState(string? name = null)
    {
        name ??= ActiveAdapter;
        var config = _adapters.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"No adapter named '{name}'.");
        var state = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (path, layer) in _layers)
        {
            if (layer.LoraAdapters.Contains(name))
            {
                state[PeftKeys.Prefix + path + ".lora_A.weight"] = layer.LoraA(name);
                state[PeftKeys.Prefix + path + ".lora_B.weight"] = layer.LoraB(name);
            }
        }

        foreach (var (path, parameter) in Model.named_parameters())
        {
            if (IsSavedBaseParameter(config, path))
            {
                state[PeftKeys.Prefix + path] = parameter;
            }
        }

        return state;
    }

    /// <summary>Copies tensors saved under PEFT keys into an attached adapter.</summary>
    /// <param name="name">The adapter name.</param>
    /// <param name="tensors">The tensors by PEFT key.</param>
    /// <exception cref="InvalidDataException">A key is unknown to the adapter, missing, or has the wrong shape.</exception>
    public void LoadAdapterState(string name, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var targets = GetAdapterState(name);
        var unknown = tensors.Keys.Where(k => !targets.ContainsKey(PeftKeys.Normalize(k))).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"The adapter file has tensors this model has no place for: {string.Join(", ", unknown.Take(5))}.");
        }

        using var noGrad = torch.no_grad();
        foreach (var (key, target) in targets)
        {
            var source = tensors.FirstOrDefault(t => PeftKeys.Normalize(t.Key) == key).Value
                ?? throw new InvalidDataException($"The adapter file lacks '{key}'.");
            if (!source.shape.SequenceEqual(target.shape))
            {
                throw new InvalidDataException($"'{key}' has shape [{string.Join(", ", source.shape)}], the model expects [{string.Join(", ", target.shape)}].");
            }

            target.copy_(source);
        }
    }

    /// <inheritdoc />
    public Tensor ComputeLogits(Tensor inputIds, Tensor attentionMask, Tensor positionIds) =>
        Model.Forward(inputIds, attentionMask, positionIds).Logits;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> GetTrainableState() => GetAdapterState();

    /// <inheritdoc />
    public void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state) => LoadAdapterState(ActiveAdapter, state);

    /// <summary>
    /// Writes the active adapter in PEFT's layout: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>
    /// (keys <c>base_model.model.&lt;path&gt;.lora_A.weight</c> …), loadable by PEFT's <c>PeftModel.from_pretrained</c>.
    /// </summary>
    /// <param name="directory">The folder (created when missing).</param>
    public void Save(string directory) => Save(directory, ActiveAdapter);

    /// <summary>Writes one adapter in PEFT's layout.</summary>
    /// <param name="directory">The folder (created when missing).</param>
    /// <param name="adapterName">The adapter.</param>
    public void Save(string directory, string adapterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var config = _adapters.TryGetValue(adapterName, out var c) ? c : throw new KeyNotFoundException($"No adapter named '{adapterName}'.");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFile), System.Text.Json.JsonSerializer.Serialize(config, ConfigJson));
        TensorStateFile.Save(Path.Combine(directory, WeightsFile), GetAdapterState(adapterName));
    }

    /// <summary>Reads a PEFT adapter folder's configuration.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FileNotFoundException"><c>adapter_config.json</c> is missing.</exception>
    /// <exception cref="InvalidDataException">It is not valid JSON.</exception>
    public static LoraConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{directory} holds no {ConfigFile}.", path);
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<LoraConfig>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid adapter configuration: {e.Message}", e);
        }
    }

    /// <summary>Attaches an adapter saved in PEFT's layout (by Aigc or by PEFT) under <paramref name="adapterName"/>.</summary>
    /// <param name="directory">The adapter folder.</param>
    /// <param name="adapterName">The name to attach it under.</param>
    /// <exception cref="InvalidDataException">The files do not fit the model; the message names the keys.</exception>
    public void LoadAdapter(string directory, string adapterName)
    {
        var config = ReadConfig(directory);
        AddAdapter(adapterName, config);
        var (tensors, _) = TensorStateFile.Load(Path.Combine(directory, WeightsFile));
        try
        {
            LoadAdapterState(adapterName, tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Wraps a model with an adapter loaded from a PEFT folder, active under <paramref name="adapterName"/>.</summary>
    /// <param name="model">The base model.</param>
    /// <param name="directory">The adapter folder.</param>
    /// <param name="adapterName">The adapter name.</param>
    /// <returns>The LoRA model.</returns>
    public static LoraModel Load(Gpt2LanguageModel model, string directory, string adapterName = DefaultAdapterName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var lora = new LoraModel(model);
        lora.LoadAdapter(directory, adapterName);
        lora.SetActiveAdapter(adapterName);
        return lora;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ConfigJson = new() { WriteIndented = true };

    private bool IsSavedBaseParameter(LoraConfig config, string path)
    {
        if (path.Contains(".lora_", StringComparison.Ordinal))
        {
            return false;
        }

        var module = path[..path.LastIndexOf('.')];
        if (config.IsModuleToSave(module))
        {
            return true;
        }

        if (!path.EndsWith(".bias", StringComparison.Ordinal))
        {
            return false;
        }

        return config.Bias switch
        {
            LoraBias.All => true,
            LoraBias.LoraOnly => _layers.Any(l => l.Path == module && config.IsTarget(module)),
            _ => false,
        };
    }
}
