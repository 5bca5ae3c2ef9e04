using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>One GPT-2 transformer block (pre-norm): <c>ln_1</c>, <c>attn</c>, <c>ln_2</c>, <c>mlp</c>.</summary>
public sealed class Gpt2Block : nn.Module
{
    private readonly TorchSharp.Modules.LayerNorm ln_1;
    private readonly Gpt2Attention attn;
    private readonly TorchSharp.Modules.LayerNorm ln_2;
    private readonly Gpt2Mlp mlp;

    /// <summary>Initializes the block.</summary>
    /// <param name="config">The model configuration.</param>
    public Gpt2Block(Gpt2Config config)
        : this(config, 0)
    {
    }

    /// <summary>Initializes block <paramref name="layer"/>, whose attention keeps the heads <see cref="Gpt2Config.PrunedHeads"/> leaves it.</summary>
    /// <param name="config">The model configuration.</param>
    /// <param name="layer">The layer index.</param>
    public Gpt2Block(Gpt2Config config, int layer)
        : base(nameof(Gpt2Block))
    {
        ArgumentNullException.ThrowIfNull(config);
        ln_1 = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon);
        attn = new Gpt2Attention(config, layer);
        ln_2 = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon);
        mlp = new Gpt2Mlp(config);
        RegisterComponents();
    }

    /// <summary>Gets the attention layer.</summary>
    public Gpt2Attention Attention => attn;

    /// <summary>Gets the feed-forward block.</summary>
    public Gpt2Mlp Mlp => mlp;

    /// <summary>Runs the block.</summary>
    /// <param name="hidden">The hidden states, <c>[batch, seq, embd]</c>.</param>
    /// <param name="mask">The additive attention mask.</param>
    /// <param name="past">The cached key and value, or <see langword="null"/>.</param>
    /// <returns>The new hidden states and this layer's key and value.</returns>
    public (Tensor Hidden, Tensor Key, Tensor Value) Forward(Tensor hidden, Tensor mask, (Tensor Key, Tensor Value)? past)
    {
        var (attention, key, value) = attn.Forward(ln_1.forward(hidden), mask, past);
        hidden = hidden.add(attention);
        hidden = hidden.add(mlp.forward(ln_2.forward(hidden)));
        return (hidden, key, value);
    }
}
