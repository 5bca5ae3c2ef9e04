using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// GPT-2's <c>Conv1D</c>: a linear layer whose weight is stored <c>[in, out]</c> (transposed against
/// <c>nn.Linear</c>), so Hugging Face GPT-2 checkpoints load without transposing.
/// </summary>
public sealed class Conv1D : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;

    /// <summary>Initializes the layer with GPT-2's initialisation: weight ~ N(0, std), bias 0.</summary>
    /// <param name="inFeatures">The input width.</param>
    /// <param name="outFeatures">The output width.</param>
    /// <param name="std">The standard deviation of the weight initialisation.</param>
    public Conv1D(int inFeatures, int outFeatures, double std)
        : base(nameof(Conv1D))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = new Parameter(torch.empty(inFeatures, outFeatures).normal_(0, std));
        _bias = new Parameter(torch.zeros(outFeatures));
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    /// <summary>Gets the input width.</summary>
    public int InFeatures { get; }

    /// <summary>Gets the output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Gets the weight, <c>[in, out]</c>.</summary>
    public Parameter Weight => _weight;

    /// <summary>Gets the bias, <c>[out]</c>.</summary>
    public Parameter Bias => _bias;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return torch.matmul(input, _weight).add_(_bias);
    }
}
