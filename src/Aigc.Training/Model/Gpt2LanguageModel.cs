using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// A GPT-2-architecture causal language model (Hugging Face <c>GPT2LMHeadModel</c>) in TorchSharp, with the same
/// parameter names (<c>transformer.wte.weight</c>, <c>transformer.h.{i}.attn.c_attn.weight</c>, …), Conv1D
/// <c>[in, out]</c> weights and an LM head tied to <c>wte</c>.
/// </summary>
public sealed class Gpt2LanguageModel : nn.Module
{
    private readonly Transformer transformer;

    /// <summary>Initializes a model with GPT-2's initialisation (normal 0.02, residual projections scaled by 1/√(2·layers)).</summary>
    /// <param name="config">The configuration.</param>
    /// <exception cref="NotSupportedException">The configuration is not supported; the message lists what is.</exception>
    public Gpt2LanguageModel(Gpt2Config config)
        : base(nameof(Gpt2LanguageModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchSharpRuntime.EnsureLoaded();
        config.Validate();
        Config = config;
        transformer = new Transformer(config);
        RegisterComponents();
    }

    /// <summary>Gets the configuration.</summary>
    public Gpt2Config Config { get; }

    /// <summary>Gets the transformer blocks, in order.</summary>
    public IReadOnlyList<Gpt2Block> Blocks => transformer.Blocks;

    /// <summary>Gets the token embedding (also the LM head's weight), <c>[vocab, embd]</c>.</summary>
    public Parameter TokenEmbedding => transformer.Wte.weight!;

    /// <summary>Runs the model.</summary>
    /// <param name="inputIds">Token ids, <c>[batch, seq]</c> int64.</param>
    /// <param name="attentionMask">1 for real tokens and 0 for padding over <c>past+seq</c> positions (<c>[batch, past+seq]</c>), or <see langword="null"/> for all ones.</param>
    /// <param name="positionIds">Positions, <c>[batch, seq]</c>, or <see langword="null"/> for <c>past … past+seq−1</c>.</param>
    /// <param name="past">Each layer's cached key and value, or <see langword="null"/>.</param>
    /// <returns>The logits and each layer's key and value.</returns>
    public Gpt2Output Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IReadOnlyList<(Tensor Key, Tensor Value)>? past = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var hidden = ForwardHidden(inputIds, attentionMask, positionIds, past, out var present);
        return new Gpt2Output(torch.matmul(hidden, TokenEmbedding.t()), present);
    }

    /// <summary>
    /// Runs the model on input embeddings instead of token ids (transformers' <c>inputs_embeds</c>), for methods that
    /// feed vectors which are no token's embedding, such as prompt tuning's virtual tokens. Position embeddings are
    /// added here, as for token ids.
    /// </summary>
    /// <param name="inputsEmbeds">Input embeddings, <c>[batch, seq, embd]</c>.</param>
    /// <param name="attentionMask">The padding mask over <c>past+seq</c>, or <see langword="null"/> for all ones.</param>
    /// <param name="positionIds">Positions, <c>[batch, seq]</c>, or <see langword="null"/> for <c>past … past+seq−1</c>.</param>
    /// <param name="past">Each layer's cached key and value, or <see langword="null"/>.</param>
    /// <returns>The logits and each layer's key and value.</returns>
    /// <exception cref="ArgumentException">The sequence is longer than the context, or the width is not <c>n_embd</c>.</exception>
    public Gpt2Output ForwardEmbeddings(Tensor inputsEmbeds, Tensor? attentionMask = null, Tensor? positionIds = null, IReadOnlyList<(Tensor Key, Tensor Value)>? past = null)
    {
        ArgumentNullException.ThrowIfNull(inputsEmbeds);
        if (inputsEmbeds.dim() != 3 || inputsEmbeds.shape[2] != Config.EmbeddingSize)
        {
            throw new ArgumentException($"Input embeddings must be [batch, seq, {Config.EmbeddingSize}]; got [{string.Join(", ", inputsEmbeds.shape)}].", nameof(inputsEmbeds));
        }

        var hidden = RunTransformer(inputsEmbeds, attentionMask, positionIds, past, nameof(inputsEmbeds), out var present);
        return new Gpt2Output(torch.matmul(hidden, TokenEmbedding.t()), present);
    }

    /// <summary>Runs the transformer and returns the final hidden states (after <c>ln_f</c>) without the LM head.</summary>
    /// <param name="inputIds">Token ids, <c>[batch, seq]</c> int64.</param>
    /// <param name="attentionMask">The padding mask over <c>past+seq</c>, or <see langword="null"/>.</param>
    /// <param name="positionIds">Positions, or <see langword="null"/>.</param>
    /// <param name="past">Each layer's cached key and value, or <see langword="null"/>.</param>
    /// <param name="present">Each layer's key and value including this call's positions.</param>
    /// <returns>The hidden states, <c>[batch, seq, embd]</c>.</returns>
    public Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds, IReadOnlyList<(Tensor Key, Tensor Value)>? past, out IReadOnlyList<(Tensor Key, Tensor Value)> present)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        return RunTransformer(transformer.Wte.forward(inputIds), attentionMask, positionIds, past, nameof(inputIds), out present);
    }

    private Tensor RunTransformer(Tensor embeddings, Tensor? attentionMask, Tensor? positionIds, IReadOnlyList<(Tensor Key, Tensor Value)>? past, string parameterName, out IReadOnlyList<(Tensor Key, Tensor Value)> present)
    {
        var batch = embeddings.shape[0];
        var sequence = embeddings.shape[1];
        var pastLength = past is { Count: > 0 } ? past[0].Key.shape[2] : 0;
        if (pastLength + sequence > Config.Positions)
        {
            throw new ArgumentException($"The sequence ({pastLength} cached + {sequence} new tokens) is longer than the model's context of {Config.Positions} positions.", parameterName);
        }

        positionIds ??= torch.arange(pastLength, pastLength + sequence, dtype: ScalarType.Int64, device: embeddings.device).unsqueeze(0).expand(batch, sequence);
        var hidden = embeddings.add(transformer.Wpe.forward(positionIds));
        hidden = nn.functional.dropout(hidden, Config.EmbeddingDropout, training);

        var mask = BuildMask(attentionMask, batch, sequence, pastLength, hidden.dtype, embeddings.device);
        var layers = new List<(Tensor Key, Tensor Value)>(Config.Layers);
        for (var i = 0; i < transformer.Blocks.Count; i++)
        {
            var (next, key, value) = transformer.Blocks[i].Forward(hidden, mask, past is null ? null : past[i]);
            hidden = next;
            layers.Add((key, value));
        }

        present = layers;
        return transformer.LnF.forward(hidden);
    }

    /// <summary>Builds the additive mask: causal over <c>past+seq</c> and blocking padded positions.</summary>
    internal static Tensor BuildMask(Tensor? attentionMask, long batch, long sequence, long pastLength, ScalarType dtype, Device device)
    {
        var total = pastLength + sequence;
        var causal = torch.ones(sequence, total, dtype: ScalarType.Bool, device: device).tril(pastLength);
        var allowed = causal.view(1, 1, sequence, total);
        if (attentionMask is not null)
        {
            allowed = allowed.logical_and(attentionMask.to(ScalarType.Bool).view(batch, 1, 1, total));
        }

        var min = dtype == ScalarType.Float16 ? -65504.0 : -3.4028234663852886e38;
        return torch.zeros(allowed.shape, dtype: dtype, device: device).masked_fill(allowed.logical_not(), min);
    }

    private sealed class Transformer : nn.Module
    {
        public Transformer(Gpt2Config config)
            : base("transformer")
        {
            wte = nn.Embedding(config.VocabSize, config.EmbeddingSize);
            wpe = nn.Embedding(config.Positions, config.EmbeddingSize);
            using (torch.no_grad())
            {
                wte.weight!.normal_(0, config.InitializerRange);
                wpe.weight!.normal_(0, config.InitializerRange);
            }

            _blocks = Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(config, i)).ToList();
            h = nn.ModuleList(_blocks.ToArray());
            ln_f = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon);
            RegisterComponents();
        }

        // Field names are the Hugging Face module names; TorchSharp registers modules by field name.
        private readonly Embedding wte;
        private readonly Embedding wpe;
        private readonly ModuleList<Gpt2Block> h;
        private readonly LayerNorm ln_f;
        private readonly List<Gpt2Block> _blocks;

        public Embedding Wte => wte;

        public Embedding Wpe => wpe;

        public List<Gpt2Block> Blocks => _blocks;

        public LayerNorm LnF => ln_f;
    }
}
