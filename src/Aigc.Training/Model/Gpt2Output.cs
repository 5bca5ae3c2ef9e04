using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>What a <see cref="Gpt2LanguageModel"/> forward pass returns.</summary>
/// <param name="Logits">The next-token logits, <c>[batch, seq, vocab]</c>.</param>
/// <param name="Present">Each layer's key and value including this call's positions (<c>[batch, heads, past+seq, head]</c>), for the next call's cache.</param>
public sealed record Gpt2Output(Tensor Logits, IReadOnlyList<(Tensor Key, Tensor Value)> Present);
