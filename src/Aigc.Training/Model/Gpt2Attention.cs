using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>GPT-2 causal self-attention: <c>c_attn</c> projects to query, key and value; <c>c_proj</c> projects back.</summary>
public sealed class Gpt2Attention : nn.Module
{
    private readonly Gpt2Config _config;
    private readonly int _heads;
    private readonly int _width;
    private readonly Conv1D c_attn;
    private readonly Conv1D c_proj;

    /// <summary>Initializes the layer with all <c>n_head</c> heads.</summary>
    /// <param name="config">The model configuration.</param>
    public Gpt2Attention(Gpt2Config config)
        : this(config, (int?)null)
    {
    }

    /// <summary>Initializes the attention of layer <paramref name="layer"/>, with the heads <see cref="Gpt2Config.PrunedHeads"/> leaves it.</summary>
    /// <param name="config">The model configuration.</param>
    /// <param name="layer">The layer index.</param>
    public Gpt2Attention(Gpt2Config config, int layer)
        : this(config, (int?)layer)
    {
    }

    private Gpt2Attention(Gpt2Config config, int? layer)
        : base(nameof(Gpt2Attention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _heads = layer is { } index ? config.HeadsInLayer(index) : config.Heads;
        _width = _heads * config.HeadSize;
        c_attn = new Conv1D(config.EmbeddingSize, 3 * _width, config.InitializerRange);
        c_proj = new Conv1D(_width, config.EmbeddingSize, config.InitializerRange / Math.Sqrt(2.0 * config.Layers));
        RegisterComponents();
    }

    /// <summary>Gets the number of heads this layer has (fewer than <c>n_head</c> after structured pruning).</summary>
    public int HeadCount => _heads;

    /// <summary>Gets the query/key/value projection.</summary>
    public Conv1D CAttn => c_attn;

    /// <summary>Gets the output projection.</summary>
    public Conv1D CProj => c_proj;

    /// <summary>Runs the attention.</summary>
    /// <param name="hidden">The hidden states, <c>[batch, seq, embd]</c>.</param>
    /// <param name="mask">An additive mask broadcastable to <c>[batch, heads, seq, past+seq]</c> (0 to attend, a large negative value to block).</param>
    /// <param name="past">The cached key and value of earlier positions, <c>[batch, heads, past, head]</c> each, or <see langword="null"/>.</param>
    /// <returns>The output and the key and value including this call's positions.</returns>
    public (Tensor Output, Tensor Key, Tensor Value) Forward(Tensor hidden, Tensor mask, (Tensor Key, Tensor Value)? past)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(mask);
        var batch = hidden.shape[0];
        var sequence = hidden.shape[1];
        var heads = _heads;
        var headSize = _config.HeadSize;
        var qkv = c_attn.forward(hidden);
        var parts = qkv.split(_width, dim: 2);
        var query = parts[0].view(batch, sequence, heads, headSize).transpose(1, 2);
        var key = parts[1].view(batch, sequence, heads, headSize).transpose(1, 2);
        var value = parts[2].view(batch, sequence, heads, headSize).transpose(1, 2);
        if (past is { } cache)
        {
            key = torch.cat([cache.Key, key], dim: 2);
            value = torch.cat([cache.Value, value], dim: 2);
        }

        // softmax(q·kᵀ/√d + mask)·v with dropout on the weights, as one fused kernel (PyTorch's scaled_dot_product_attention):
        // the [batch, heads, seq, past+seq] scores and weights are not kept for the backward pass.
        var attended = nn.functional.scaled_dot_product_attention(query, key, value, mask, training ? _config.AttentionDropout : 0.0, false);
        var context = attended.transpose(1, 2).contiguous().view(batch, sequence, _width);
        var output = nn.functional.dropout(c_proj.forward(context), _config.ResidualDropout, training);
        return (output, key, value);
    }
}
