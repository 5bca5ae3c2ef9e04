using Microsoft.ML.Tokenizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Prompt tuning on a <see cref="Gpt2LanguageModel"/>, as PEFT's <c>PeftModelForCausalLM</c> does it: N learned
/// virtual-token embeddings (<c>[N, n_embd]</c>) are put before the input embeddings, the attention mask gets N ones in
/// front, and the base model is frozen; only the virtual tokens train. The artifact is PEFT's layout:
/// <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> with one tensor, <c>prompt_embeddings</c>.
/// </summary>
/// <remarks>
/// <para>
/// Positions: PEFT drops the caller's position ids and lets the model number the longer sequence 0 … N+T−1, so the
/// virtual tokens take positions 0 … N−1 and the real tokens N … N+T−1. Here the real tokens' position ids are shifted
/// by N, which is the same for unpacked sequences (positions 0 … T−1) and keeps packed sequences' per-segment
/// positions. The sequence length plus N must fit the model's context.
/// </para>
/// <para>
/// <see cref="ComputeLogits"/> returns only the real tokens' logits, aligned with the input ids, so the trainer's
/// shifted loss applies unchanged and no label falls on a virtual token. (PEFT additionally scores the first real
/// token from the last virtual one; with a chat template that token is the masked prompt, so nothing is lost.)
/// </para>
/// </remarks>
public sealed class PromptTuningModel : ITrainableLanguageModel
{
    /// <summary>The adapter configuration file PEFT reads.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>The adapter weights file PEFT reads.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>The key of the virtual-token embeddings in <see cref="WeightsFile"/> (PEFT's key for prompt learning).</summary>
    public const string EmbeddingsKey = "prompt_embeddings";

    private Parameter _embeddings;

    private PromptTuningModel(Gpt2LanguageModel model, PromptTuningConfig config, Tensor initial)
    {
        Model = model;
        Config = config;
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        _embeddings = NewParameter(initial, model.TokenEmbedding.device);
    }

    /// <inheritdoc />
    public Gpt2LanguageModel Model { get; }

    /// <inheritdoc />
    public string Method => "prompt-tuning";

    /// <summary>Gets the configuration, with <c>token_dim</c>, <c>num_attention_heads</c> and <c>num_layers</c> filled from the model.</summary>
    public PromptTuningConfig Config { get; }

    /// <summary>Gets the number of virtual tokens.</summary>
    public int VirtualTokens => Config.NumVirtualTokens;

    /// <summary>Gets the virtual-token embeddings, <c>[N, n_embd]</c> (on the model's device).</summary>
    public Parameter PromptEmbeddings => EnsureOnModelDevice();

    /// <summary>
    /// Wraps a model with new virtual tokens, freezes the model and makes the virtual tokens trainable. The random
    /// initialisation uses TorchSharp's global generator (seed it with <c>torch.manual_seed</c> for repeatable runs).
    /// </summary>
    /// <param name="model">The base model.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="tokenizer">Encodes <see cref="PromptTuningConfig.InitText"/> with <see cref="PromptTuningInit.Text"/> (for GPT-2, <c>RecordTokenizer.Gpt2Tokenizer</c>); otherwise unused.</param>
    /// <returns>The prompt-tuning model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="config"/> is <see langword="null"/>, or the init is text and <paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The configuration is invalid or contradicts the model; the message lists every problem.</exception>
    /// <exception cref="ArgumentException">The init text encodes to no token, or to ids outside the model's vocabulary.</exception>
    public static PromptTuningModel Create(Gpt2LanguageModel model, PromptTuningConfig config, Tokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        var resolved = Resolve(model, config);
        var count = resolved.NumVirtualTokens;
        Tensor initial;
        using (torch.no_grad())
        {
            if (resolved.Init == PromptTuningInit.Text)
            {
                ArgumentNullException.ThrowIfNull(tokenizer);
                var ids = TextInitIds(tokenizer.EncodeToIds(resolved.InitText!), count, model.Config.VocabSize);
                using var index = torch.tensor(ids, dtype: ScalarType.Int64, device: model.TokenEmbedding.device);
                initial = model.TokenEmbedding.detach().index_select(0, index).clone().to(ScalarType.Float32);
            }
            else
            {
                initial = torch.randn(count, model.Config.EmbeddingSize, dtype: ScalarType.Float32);
            }
        }

        return new PromptTuningModel(model, resolved, initial);
    }

    /// <summary>Reads a PEFT prompt-tuning adapter folder's configuration.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FileNotFoundException"><c>adapter_config.json</c> is missing.</exception>
    /// <exception cref="InvalidDataException">It is not a valid prompt-tuning configuration.</exception>
    public static PromptTuningConfig ReadConfig(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{directory} holds no {ConfigFile}.", path);
        }

        return PromptTuningConfig.FromJson(File.ReadAllText(path));
    }

    /// <summary>Wraps a model with a prompt-tuning adapter saved in PEFT's layout (by Aigc or by PEFT).</summary>
    /// <param name="model">The base model.</param>
    /// <param name="directory">The adapter folder.</param>
    /// <returns>The prompt-tuning model, its virtual tokens trainable.</returns>
    /// <exception cref="FileNotFoundException">A file of the adapter is missing.</exception>
    /// <exception cref="InvalidDataException">The files do not fit the model; the message says how.</exception>
    public static PromptTuningModel Load(Gpt2LanguageModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        PromptTuningConfig config;
        try
        {
            config = Resolve(model, ReadConfig(directory));
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"{directory}: {e.Message}", e);
        }

        var weights = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weights))
        {
            throw new FileNotFoundException($"{directory} holds no {WeightsFile}.", weights);
        }

        var (tensors, _) = TensorStateFile.Load(weights);
        try
        {
            var tuned = new PromptTuningModel(model, config, torch.zeros(config.NumVirtualTokens, model.Config.EmbeddingSize));
            tuned.LoadTrainableState(tensors);
            return tuned;
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() => [(EmbeddingsKey, EnsureOnModelDevice())];

    /// <summary>
    /// Computes the real tokens' logits with the virtual tokens in front: <c>[batch, seq, vocab]</c>, aligned with
    /// <paramref name="inputIds"/>.
    /// </summary>
    /// <param name="inputIds">Token ids, <c>[batch, seq]</c>.</param>
    /// <param name="attentionMask">1 for real tokens, 0 for padding, <c>[batch, seq]</c>; ones are put in front for the virtual tokens.</param>
    /// <param name="positionIds">Positions, <c>[batch, seq]</c>; shifted by the number of virtual tokens.</param>
    /// <returns>The logits.</returns>
    /// <exception cref="ArgumentException">The sequence plus the virtual tokens is longer than the model's context.</exception>
    public Tensor ComputeLogits(Tensor inputIds, Tensor attentionMask, Tensor positionIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        ArgumentNullException.ThrowIfNull(positionIds);
        var prompts = EnsureOnModelDevice();
        var batch = inputIds.shape[0];
        var sequence = inputIds.shape[1];
        var count = Config.NumVirtualTokens;
        var width = Model.Config.EmbeddingSize;
        var device = inputIds.device;
        var tokens = Model.TokenEmbedding.index_select(0, inputIds.reshape(-1)).reshape(batch, sequence, width);
        var embeddings = torch.cat([prompts.unsqueeze(0).expand(batch, count, width).to(tokens.dtype), tokens], dim: 1);
        var mask = torch.cat([torch.ones(batch, count, dtype: attentionMask.dtype, device: device), attentionMask], dim: 1);
        var virtualPositions = torch.arange(count, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(batch, count);
        var positions = torch.cat([virtualPositions, positionIds.to(ScalarType.Int64).add(count)], dim: 1);
        var logits = Model.ForwardEmbeddings(embeddings, mask, positions).Logits;
        return logits[.., count.., ..];
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> GetTrainableState() =>
        new Dictionary<string, Tensor>(StringComparer.Ordinal) { [EmbeddingsKey] = EnsureOnModelDevice() };

    /// <summary>Copies <c>prompt_embeddings</c> from a state (as saved by PEFT or by <see cref="GetTrainableState"/>).</summary>
    /// <param name="state">The tensors by key.</param>
    /// <exception cref="InvalidDataException">The key is missing, another key is present, or the shape is not <c>[N, n_embd]</c>.</exception>
    public void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var unknown = state.Keys.Where(k => k != EmbeddingsKey).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"A prompt-tuning adapter holds only '{EmbeddingsKey}'; found also {string.Join(", ", unknown.Take(5))}.");
        }

        if (!state.TryGetValue(EmbeddingsKey, out var source))
        {
            throw new InvalidDataException($"The adapter state lacks '{EmbeddingsKey}'.");
        }

        var target = EnsureOnModelDevice();
        if (!source.shape.SequenceEqual(target.shape))
        {
            throw new InvalidDataException($"'{EmbeddingsKey}' has shape [{string.Join(", ", source.shape)}]; this adapter expects [{string.Join(", ", target.shape)}] (num_virtual_tokens × token_dim).");
        }

        using var noGrad = torch.no_grad();
        target.copy_(source);
    }

    /// <summary>
    /// Writes the adapter in PEFT's layout: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> with the
    /// single tensor <c>prompt_embeddings</c> <c>[N, n_embd]</c>, loadable by PEFT's <c>PeftModel.from_pretrained</c>.
    /// </summary>
    /// <param name="directory">The folder (created when missing).</param>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFile), Config.ToJson());
        TensorStateFile.Save(Path.Combine(directory, WeightsFile), GetTrainableState());
    }

    /// <summary>PEFT's text init: the ids cut to <paramref name="count"/>, or repeated until they reach it.</summary>
    internal static long[] TextInitIds(IReadOnlyList<int> ids, int count, int vocabularySize)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("prompt_tuning_init_text encodes to no token.", nameof(ids));
        }

        var result = new long[count];
        for (var i = 0; i < count; i++)
        {
            var id = ids[i % ids.Count];
            if (id < 0 || id >= vocabularySize)
            {
                throw new ArgumentException($"prompt_tuning_init_text encodes to token id {id}, outside the model's vocabulary of {vocabularySize}. Use the model's tokenizer.", nameof(ids));
            }

            result[i] = id;
        }

        return result;
    }

    private static PromptTuningConfig Resolve(Gpt2LanguageModel model, PromptTuningConfig config)
    {
        config.Validate();
        var problems = new List<string>();
        var shape = model.Config;
        if (config.TokenDim is { } dim && dim != shape.EmbeddingSize) problems.Add($"token_dim {dim} is not the model's n_embd {shape.EmbeddingSize}");
        if (config.NumAttentionHeads is { } heads && heads != shape.Heads) problems.Add($"num_attention_heads {heads} is not the model's n_head {shape.Heads}");
        if (config.NumLayers is { } layers && layers != shape.Layers) problems.Add($"num_layers {layers} is not the model's n_layer {shape.Layers}");
        if (config.NumVirtualTokens >= shape.Positions) problems.Add($"num_virtual_tokens {config.NumVirtualTokens} leaves no room in the model's context of {shape.Positions} positions");
        if (problems.Count > 0)
        {
            throw new NotSupportedException("The prompt-tuning configuration does not fit the model: " + string.Join("; ", problems) + ".");
        }

        return config with { TokenDim = shape.EmbeddingSize, NumAttentionHeads = shape.Heads, NumLayers = shape.Layers };
    }

    /// <summary>Moves the virtual tokens to the model's device when the model was moved (for example by the trainer).</summary>
    private Parameter EnsureOnModelDevice()
    {
        var target = Model.TokenEmbedding;
        if (_embeddings.device_type != target.device_type || _embeddings.device_index != target.device_index)
        {
            var previous = _embeddings;
            _embeddings = NewParameter(previous, target.device);
            previous.Dispose();
        }

        return _embeddings;
    }

    /// <summary>A trainable copy of <paramref name="data"/> on <paramref name="device"/>, owned by no dispose scope.</summary>
    private static Parameter NewParameter(Tensor data, Device device)
    {
        using var noGrad = torch.no_grad();
        var copy = data.detach().to(device, copy: true).DetachFromDisposeScope();
        return new Parameter(copy, requires_grad: true);
    }
}
