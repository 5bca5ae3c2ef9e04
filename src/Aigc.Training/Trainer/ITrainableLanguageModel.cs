using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// What the trainer trains: a causal language model with a set of trainable parameters (a LoRA adapter, prompt
/// embeddings, or every weight), their state for checkpoints, and the artifact written at the end.
/// </summary>
public interface ITrainableLanguageModel
{
    /// <summary>Gets the underlying model.</summary>
    Gpt2LanguageModel Model { get; }

    /// <summary>Gets a short name of the method, for example <c>lora</c>, <c>prompt-tuning</c> or <c>full</c>.</summary>
    string Method { get; }

    /// <summary>Returns the parameters that train, by name.</summary>
    /// <returns>The trainable parameters.</returns>
    IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters();

    /// <summary>Computes next-token logits aligned with <paramref name="inputIds"/> (<c>[batch, seq, vocab]</c>).</summary>
    /// <param name="inputIds">Token ids, <c>[batch, seq]</c>.</param>
    /// <param name="attentionMask">1 for real tokens, 0 for padding, <c>[batch, seq]</c>.</param>
    /// <param name="positionIds">Positions, <c>[batch, seq]</c>.</param>
    /// <returns>The logits.</returns>
    Tensor ComputeLogits(Tensor inputIds, Tensor attentionMask, Tensor positionIds);

    /// <summary>Returns the trainable state by name (views of the live tensors), for checkpoints.</summary>
    /// <returns>The state.</returns>
    IReadOnlyDictionary<string, Tensor> GetTrainableState();

    /// <summary>Copies a state returned by <see cref="GetTrainableState"/> back into the model.</summary>
    /// <param name="state">The state.</param>
    void LoadTrainableState(IReadOnlyDictionary<string, Tensor> state);

    /// <summary>Writes the trained artifact (a PEFT adapter folder, or a model folder) to <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder.</param>
    void Save(string directory);
}
