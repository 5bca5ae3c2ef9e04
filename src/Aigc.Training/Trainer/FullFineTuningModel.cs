using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>Full fine-tuning: every weight of the model trains; the artifact is a Hugging Face model folder.</summary>
public sealed class FullFineTuningModel : ITrainableLanguageModel
{
    /// <summary>Initializes the wrapper and makes every parameter trainable.</summary>
    /// <param name="model">The model.</param>
    public FullFineTuningModel(Gpt2LanguageModel model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = true;
        }
    }

    /// <inheritdoc />
    public Gpt2LanguageModel Model { get; }

    /// <inheritdoc />
    public string Method => "full";

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
    public void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state) => Gpt2Checkpoint.LoadWeights(Model, state);

    /// <inheritdoc />
    public void Save(string directory) => Gpt2Checkpoint.Save(Model, directory);
}
