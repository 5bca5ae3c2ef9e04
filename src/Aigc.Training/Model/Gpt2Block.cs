using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>One GPT-2 transformer block (pre-norm): <c>ln_1</c>, <c>attn</c>, <c>ln_2</c>, <c>mlp</c>.</summary>
public sealed class Gpt2Block : nn.Module
{
    private readonly TorchSharp.Modules.LayerNorm _ln1;
    private readonly Gpt2Attention _attn;
    private readonly TorchSharp.Modules.LayerNorm _ln2;
    private readonly Gpt2Mlp _mlp;

    /// <summary>Initializes the block.</summary>
    /// <param name="config">The model configuration.</param>
    public Gpt2Block(Gpt2Config config)
        : base(nameof(Gpt2Block))
    {
        ArgumentNullException.ThrowIfNull(config);
        _ln1 = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon);
        _attn = new Gpt2Attention(config);
        _ln2 = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon);
        _mlp = new Gpt2Mlp(config);
        register_module("ln_1", _ln1);
        register_module("attn", _attn);
        register_module("ln_2", _ln2);
        register_module("mlp", _mlp);
    }

    /// <summary>Gets the attention layer.</summary>
    public Gpt2Attention Attention => _attn;

    /// <summary>Runs the block.</summary>
    /// <param name="hidden">The hidden states, <c>[batch, seq, embd]</c>.</param>
    /// <param name="mask">The additive attention mask.</param>
    /// <param name="past">The cached key and value, or <see langword="null"/>.</param>
    /// <returns>The new hidden states and this layer's key and value.</returns>
    public (Tensor Hidden, Tensor Key, Tensor Value) Forward(Tensor hidden, Tensor mask, (Tensor Key, Tensor Value)? past)
    {
        var (attention, key, value) = _attn.Forward(_ln1.forward(hidden), mask, past);
        hidden = hidden.add(attention);
        hidden = hidden.add(_mlp.forward(_ln2.forward(hidden)));
        return (hidden, key, value);
    }
}
