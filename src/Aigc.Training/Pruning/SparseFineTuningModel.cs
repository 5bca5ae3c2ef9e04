using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Full fine-tuning that keeps pruned weights at zero: every weight trains, and after each optimizer step the masks
/// of <see cref="MagnitudePruner.Prune"/> are applied again, so the recovery fine-tune after magnitude pruning ends
/// with exactly the zeros it started with. The artifact is a Hugging Face model folder whose safetensors metadata
/// records the sparsity.
/// </summary>
public sealed class SparseFineTuningModel : ITrainableLanguageModel
{
    /// <summary>The safetensors metadata key that records the share of zeros in the masked weights.</summary>
    public const string SparsityMetadataKey = "aigc.sparsity";

    private readonly Dictionary<string, (Parameter Parameter, Tensor Mask)> _masks = new(StringComparer.Ordinal);

    /// <summary>Initializes the wrapper, makes every parameter trainable and applies the masks.</summary>
    /// <param name="model">The pruned model.</param>
    /// <param name="masks">Per parameter name, a boolean (or 0/1) tensor of the parameter's shape: where it is false or 0 the weight stays zero.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A mask names no parameter of the model, or its shape differs from the parameter's.</exception>
    public SparseFineTuningModel(Gpt2LanguageModel model, IReadOnlyDictionary<string, Tensor> masks)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(masks);
        Model = model;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var (name, mask) in masks)
        {
            if (!parameters.TryGetValue(name, out var parameter))
            {
                throw new ArgumentException($"The mask '{name}' names no parameter of the model.", nameof(masks));
            }

            if (!mask.shape.SequenceEqual(parameter.shape))
            {
                throw new ArgumentException($"The mask of '{name}' is [{string.Join(", ", mask.shape)}]; the parameter is [{string.Join(", ", parameter.shape)}].", nameof(masks));
            }

            _masks[name] = (parameter, mask.to(parameter.dtype, parameter.device).detach());
        }

        foreach (var parameter in parameters.Values)
        {
            parameter.requires_grad = true;
        }

        ApplyMasks();
    }

    /// <inheritdoc />
    public Gpt2LanguageModel Model { get; }

    /// <inheritdoc />
    public string Method => "sparse";

    /// <summary>Gets the share of zeros over the masked weights now.</summary>
    public double Sparsity
    {
        get
        {
            using var noGrad = torch.no_grad();
            long zeros = 0, total = 0;
            foreach (var (parameter, _) in _masks.Values)
            {
                using var nonZero = parameter.count_nonzero();
                zeros += parameter.numel() - nonZero.item<long>();
                total += parameter.numel();
            }

            return total == 0 ? 0 : (double)zeros / total;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() =>
        Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();

    /// <inheritdoc />
    public Tensor ComputeLogits(Tensor inputIds, Tensor attentionMask, Tensor positionIds) =>
        Model.Forward(inputIds, attentionMask, positionIds).Logits;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> GetTrainableState() =>
        Model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);

    /// <inheritdoc />
    public void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state)
    {
        Gpt2Checkpoint.LoadWeights(Model, state);
        ApplyMasks();
    }

    /// <inheritdoc />
    public void Save(string directory) =>
        Gpt2Checkpoint.Save(Model, directory, new Dictionary<string, string> { [SparsityMetadataKey] = Sparsity.ToString("R", CultureInfo.InvariantCulture) });

    /// <summary>Sets the masked weights to zero again (after an optimizer step moved them), on the masks' devices following the weights'.</summary>
    internal void ApplyMasks()
    {
        using var noGrad = torch.no_grad();
        foreach (var name in _masks.Keys.ToList())
        {
            var (parameter, mask) = _masks[name];
            if (mask.device != parameter.device)
            {
                mask = mask.to(parameter.device);
                _masks[name] = (parameter, mask);
            }

            parameter.mul_(mask);
        }
    }

    /// <summary>Re-applies the masks when <paramref name="model"/> is, or distils into, a sparse fine-tuning.</summary>
    internal static void ApplyMasksOf(ITrainableLanguageModel model)
    {
        var sparse = model as SparseFineTuningModel ?? (model as DistillationModel)?.Student as SparseFineTuningModel;
        sparse?.ApplyMasks();
    }
}
