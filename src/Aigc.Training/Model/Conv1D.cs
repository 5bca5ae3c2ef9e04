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
    // Field names are the parameter and module names (TorchSharp registers fields by name): weight, bias, lora_A, lora_B.
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly LoraModuleSet lora_A = new();
    private readonly LoraModuleSet lora_B = new();
    private readonly Dictionary<string, LoraSlot> _adapters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _merged = new(StringComparer.Ordinal);

    /// <summary>Initializes the layer with GPT-2's initialisation: weight ~ N(0, std), bias 0.</summary>
    /// <param name="inFeatures">The input width.</param>
    /// <param name="outFeatures">The output width.</param>
    /// <param name="std">The standard deviation of the weight initialisation.</param>
    public Conv1D(int inFeatures, int outFeatures, double std)
        : base(nameof(Conv1D))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(torch.empty(inFeatures, outFeatures).normal_(0, std));
        bias = new Parameter(torch.zeros(outFeatures));
        RegisterComponents();
    }

    /// <summary>Gets the input width.</summary>
    public int InFeatures { get; }

    /// <summary>Gets the output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Gets the weight, <c>[in, out]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>Gets the bias, <c>[out]</c>.</summary>
    public Parameter Bias => bias;

    /// <summary>Gets the names of the LoRA adapters attached to this layer.</summary>
    public IReadOnlyCollection<string> LoraAdapters => _adapters.Keys;

    /// <summary>Gets the adapters whose update is added in <see cref="forward"/> (set by <see cref="LoraModel"/>).</summary>
    internal IReadOnlyList<string> ActiveAdapters { get; set; } = [];

    /// <summary>Gets or sets whether every adapter is bypassed (the base layer alone runs).</summary>
    internal bool AdaptersDisabled { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = torch.matmul(input, weight).add_(bias);
        if (AdaptersDisabled)
        {
            // Merged adapters are part of the weight: take them out again for a base-only result.
            foreach (var name in _merged)
            {
                result = result.sub_(torch.matmul(input, Delta(name)));
            }

            return result;
        }

        foreach (var name in ActiveAdapters)
        {
            if (_merged.Contains(name) || !_adapters.TryGetValue(name, out var slot))
            {
                continue;
            }

            var x = slot.Dropout > 0 ? nn.functional.dropout(input, slot.Dropout, training) : input;
            result = result.add_(lora_B[name].forward(lora_A[name].forward(x)).mul_(slot.Scaling));
        }

        return result;
    }

    /// <summary>Attaches a LoRA adapter: A <c>[r, in]</c> and B <c>[out, r]</c> (PEFT's shapes), B zero so it starts as a no-op.</summary>
    internal void AddLoraAdapter(string name, int rank, double scaling, double dropout, LoraInit init)
    {
        if (_adapters.ContainsKey(name))
        {
            throw new ArgumentException($"The layer already has an adapter named '{name}'.", nameof(name));
        }

        var a = nn.Linear(InFeatures, rank, hasBias: false, device: weight.device, dtype: weight.dtype);
        var b = nn.Linear(rank, OutFeatures, hasBias: false, device: weight.device, dtype: weight.dtype);
        using (torch.no_grad())
        {
            if (init == LoraInit.Gaussian)
            {
                a.weight!.normal_(0, 1.0 / rank);
            }

            b.weight!.zero_();
        }

        lora_A.Add(name, a);
        lora_B.Add(name, b);
        _adapters[name] = new LoraSlot(rank, scaling, dropout);
    }

    /// <summary>Gets an adapter's A weight, <c>[r, in]</c>.</summary>
    internal Parameter LoraA(string name) => lora_A[name].weight!;

    /// <summary>Gets an adapter's B weight, <c>[out, r]</c>.</summary>
    internal Parameter LoraB(string name) => lora_B[name].weight!;

    /// <summary>Returns whether an adapter is merged into the weight.</summary>
    internal bool IsMerged(string name) => _merged.Contains(name);

    /// <summary>Adds an adapter's update (B·A)ᵀ·scaling to the weight.</summary>
    internal void Merge(string name)
    {
        if (_adapters.ContainsKey(name) && _merged.Add(name))
        {
            using var noGrad = torch.no_grad();
            using var delta = Delta(name);
            weight.add_(delta);
        }
    }

    /// <summary>Subtracts a merged adapter's update from the weight.</summary>
    internal void Unmerge(string name)
    {
        if (_merged.Remove(name))
        {
            using var noGrad = torch.no_grad();
            using var delta = Delta(name);
            weight.sub_(delta);
        }
    }

    /// <summary>The weight update of an adapter in this layer's <c>[in, out]</c> layout: (B·A)ᵀ·scaling.</summary>
    private Tensor Delta(string name)
    {
        var slot = _adapters[name];
        return torch.matmul(LoraB(name), LoraA(name)).t().mul(slot.Scaling);
    }

    private sealed record LoraSlot(int Rank, double Scaling, double Dropout);
}
