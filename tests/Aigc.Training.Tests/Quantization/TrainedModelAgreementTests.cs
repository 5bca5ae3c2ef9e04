using Aigc.Data;
using Aigc.Training.Tests.Export;
using Aigc.Training.Tests.Trainer;
using TorchSharp;
using Xunit.Abstractions;

namespace Aigc.Training.Tests.Quantization;

/// <summary>
/// A model trained briefly on a synthetic language (each token followed by a fixed successor, with 10 % random jumps),
/// then quantized: its greedy next-token choices agree with the float32 model's on held-out sequences.
/// </summary>
/// <remarks>
/// 4 layers × 128 wide rather than the 6 × 256: that one trains at ≈ 1 s a step on 2 cores, too slow for a unit
/// test; the benchmark (<c>QuantizationBenchmarks</c>) measures 6 × 256 with the GPT-2 vocabulary and its perplexity.
/// </remarks>
[Collection(TorchSerialCollection.Name)]
public sealed class TrainedModelAgreementTests(ITestOutputHelper output) : IDisposable
{
    private const int Vocab = 256;
    private const int Length = 32;
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-quant-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Greedy_tokens_of_int8_models_agree_with_float32_on_at_least_95_percent_of_a_held_out_set()
    {
        using var folder = OnnxTestModels.Folder(output, "trained-agreement");
        torch.manual_seed(3);
        using var model = new Gpt2LanguageModel(new Gpt2Config { VocabSize = Vocab, Positions = 64, EmbeddingSize = 128, Layers = 4, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 });
        using (var trainer = new CausalLmTrainer(new FullFineTuningModel(model), new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "run"),
            MaxSteps = 80,
            BatchSize = 16,
            LearningRate = 3e-3,
            WarmupSteps = 10,
            Schedule = LearningRateSchedule.Cosine,
            Seed = 1,
        }))
        {
            await trainer.TrainAsync(Corpus(256, seed: 1));
        }

        model.eval();
        var source = folder.File("model.onnx");
        OnnxExporter.Export(model, source);
        var heldOut = Corpus(48, seed: 99);
        var ids = new long[heldOut.Count, Length];
        var mask = new long[heldOut.Count, Length];
        var positions = new long[heldOut.Count, Length];
        for (var b = 0; b < heldOut.Count; b++)
        {
            for (var t = 0; t < Length; t++)
            {
                (ids[b, t], mask[b, t], positions[b, t]) = (heldOut[b].InputIds.Span[t], 1, t);
            }
        }

        using var fp32 = new OrtDecoder(source);
        var reference = Greedy(fp32.Run(ids, mask, positions).Logits);

        // The float32 model learned the successors (90 % of next tokens are predictable), so agreement means something.
        var correct = 0;
        var counted = 0;
        for (var b = 0; b < heldOut.Count; b++)
        {
            for (var t = 0; t < Length - 1; t++, counted++)
            {
                correct += reference[(b * Length) + t] == ids[b, t + 1] ? 1 : 0;
            }
        }

        output.WriteLine($"float32 next-token accuracy: {(double)correct / counted:P1}");
        Assert.True(correct > 0.8 * counted, $"the model should have learned the successors ({correct}/{counted})");

        foreach (var method in new[] { OnnxQuantizationMethod.WeightOnlyInt8, OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits, OnnxQuantizationMethod.DynamicInt8 })
        {
            var path = folder.File("model-" + method + ".onnx");
            new OnnxQuantizer().Quantize(source, path, new OnnxQuantizationOptions { Method = method });
            using var quantized = new OrtDecoder(path);
            var tokens = Greedy(quantized.Run(ids, mask, positions).Logits);
            var agree = reference.Zip(tokens).Count(p => p.First == p.Second);
            output.WriteLine($"{method}: greedy tokens agree on {agree}/{reference.Length} ({(double)agree / reference.Length:P2})");
            Assert.True(agree >= 0.95 * reference.Length, $"{method}: {agree}/{reference.Length}");
        }
    }

    /// <summary>The greedy (argmax) token at every position of [batch, seq, vocab] logits.</summary>
    private static int[] Greedy(float[] logits)
    {
        var tokens = new int[logits.Length / Vocab];
        for (var i = 0; i < tokens.Length; i++)
        {
            var row = logits.AsSpan(i * Vocab, Vocab);
            tokens[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
        }

        return tokens;
    }

    /// <summary>Sequences that follow a fixed random successor of each token, jumping to a random token 10 % of the time.</summary>
    private static List<PackedSequence> Corpus(int count, int seed)
    {
        var successor = Enumerable.Range(0, Vocab).ToArray();
        new Random(12345).Shuffle(successor);
        var random = new Random(seed);
        var result = new List<PackedSequence>(count);
        for (var n = 0; n < count; n++)
        {
            var ids = new int[Length];
            ids[0] = random.Next(Vocab);
            for (var i = 1; i < Length; i++)
            {
                ids[i] = random.NextDouble() < 0.1 ? random.Next(Vocab) : successor[ids[i - 1]];
            }

            result.Add(new PackedSequence(ids, ids.ToArray(), Enumerable.Range(0, Length).ToArray(), Enumerable.Repeat(1, Length).ToArray()));
        }

        return result;
    }
}
