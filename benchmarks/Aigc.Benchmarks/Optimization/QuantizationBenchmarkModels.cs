using System.Text.Json;
using Aigc.Benchmarks.Monitoring;
using Aigc.Data;
using Aigc.Training;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace Aigc.Benchmarks.Optimization;

/// <summary>
/// The decoder the quantization benchmarks compare: GPT-2 vocabulary (50257), 6 layers × 256 wide (8 heads), trained
/// briefly (48 steps of 8 × 64 tokens at a learning rate of 2e-3; ≈ 15 s a step on the shared 2 cores here) on seeded synthetic text (Zipf-distributed made-up words, which the GPT-2 BPE
/// splits into several tokens, so spelling is learnable), exported to float32 ONNX and quantized three ways. Perplexity
/// is measured once on held-out text of the same kind. Everything is cached on disk between runs.
/// </summary>
internal static class QuantizationBenchmarkModels
{
    public const int Vocab = 50257;

    private const int TrainSteps = 48;
    private const int Window = 64;
    private const int HeldOutWindows = 24;
    private static readonly Lock Gate = new();

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "aigc-quantization-benchmarks-v2");

    public static IReadOnlyList<string> Variants { get; } = ["fp32", "int8-dq", "int8-nbits", "int8-dynamic"];

    public static string PathOf(string variant) => Path.Combine(Folder, variant + ".onnx");

    public static OnnxQuantizationMethod? Method(string variant) => variant switch
    {
        "int8-dq" => OnnxQuantizationMethod.WeightOnlyInt8,
        "int8-nbits" => OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits,
        "int8-dynamic" => OnnxQuantizationMethod.DynamicInt8,
        _ => null,
    };

    private static string StatsPath => Path.Combine(Folder, "stats.json");

    /// <summary>Trains, exports, quantizes and measures perplexity when the cache is missing.</summary>
    public static void EnsurePrepared()
    {
        lock (Gate)
        {
            if (File.Exists(StatsPath))
            {
                return;
            }

            Directory.CreateDirectory(Folder);
            if (!File.Exists(PathOf("fp32")))
            {
                TrainAndExport();
            }

            var stats = new Dictionary<string, VariantStats>(StringComparer.Ordinal);
            var heldOut = Tokens(seed: 2, minimum: HeldOutWindows * Window);
            foreach (var variant in Variants)
            {
                if (Method(variant) is { } method)
                {
                    new OnnxQuantizer().Quantize(PathOf("fp32"), PathOf(variant), new OnnxQuantizationOptions { Method = method });
                }

                stats[variant] = new VariantStats(new FileInfo(PathOf(variant)).Length, Perplexity(PathOf(variant), heldOut));
                Console.WriteLine($"// {variant}: {stats[variant].Bytes:N0} bytes, perplexity {stats[variant].Perplexity:F3}");
            }

            File.WriteAllText(StatsPath, JsonSerializer.Serialize(stats));
        }
    }

    /// <summary>The cached file size and perplexity of a variant (read by the columns in the host process).</summary>
    public static VariantStats? Stats(string variant)
    {
        if (!File.Exists(StatsPath))
        {
            return null;
        }

        var stats = JsonSerializer.Deserialize<Dictionary<string, VariantStats>>(File.ReadAllText(StatsPath));
        return stats is not null && stats.TryGetValue(variant, out var s) ? s : null;
    }

    private static void TrainAndExport()
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.manual_seed(1);
        var config = new Gpt2Config { VocabSize = Vocab, Positions = 256, EmbeddingSize = 256, Layers = 6, Heads = 8, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };
        using var model = new Gpt2LanguageModel(config);
        var tokens = Tokens(seed: 1, minimum: TrainSteps * 8 * Window);
        var sequences = new List<PackedSequence>();
        for (var start = 0; start + Window <= tokens.Length; start += Window)
        {
            var ids = tokens[start..(start + Window)];
            sequences.Add(new PackedSequence(ids, ids.ToArray(), Enumerable.Range(0, Window).ToArray(), Enumerable.Repeat(1, Window).ToArray()));
        }

        using (var trainer = new CausalLmTrainer(new FullFineTuningModel(model), new TrainerOptions
        {
            OutputDirectory = Path.Combine(Folder, "run"),
            MaxSteps = TrainSteps,
            BatchSize = 8,
            LearningRate = 2e-3,
            WarmupSteps = 6,
            Schedule = LearningRateSchedule.Cosine,
            Seed = 1,
        }))
        {
            var progress = new Progress<TrainingProgress>(p => Console.WriteLine($"// training: {p}"));
            var result = trainer.TrainAsync(sequences, progress: progress).GetAwaiter().GetResult();
            Console.WriteLine($"// trained {TrainSteps} steps: {result}");
        }

        model.eval();
        OnnxExporter.Export(model, PathOf("fp32"));
        Directory.Delete(Path.Combine(Folder, "run"), recursive: true);
    }

    /// <summary>GPT-2 BPE tokens of seeded synthetic sentences, at least <paramref name="minimum"/> of them.</summary>
    private static int[] Tokens(int seed, int minimum)
    {
        var random = new Random(seed);
        var tokens = new List<int>(minimum + 64);
        while (tokens.Count < minimum)
        {
            tokens.AddRange(RecordTokenizer.Gpt2Tokenizer.EncodeToIds(SyntheticText.Sentence(random, 12) + " "));
        }

        return tokens.ToArray();
    }

    /// <summary>exp(mean next-token negative log-likelihood) over held-out windows, through ONNX Runtime at ORT_ENABLE_ALL.</summary>
    private static double Perplexity(string path, int[] tokens)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, options);
        var layers = session.InputNames.Count(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)) / 2;
        var past = session.InputMetadata[OnnxExporter.PastKeyName(0)].Dimensions;
        double nll = 0;
        var count = 0;
        for (var w = 0; w < HeldOutWindows; w++)
        {
            var ids = tokens.AsSpan(w * Window, Window).ToArray().Select(t => (long)t).ToArray();
            var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal)
            {
                [OnnxExporter.InputIdsName] = OrtValue.CreateTensorValueFromMemory(ids, [1, Window]),
                [OnnxExporter.AttentionMaskName] = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, Window).ToArray(), [1, Window]),
                [OnnxExporter.PositionIdsName] = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, Window).Select(i => (long)i).ToArray(), [1, Window]),
            };
            for (var i = 0; i < layers; i++)
            {
                inputs[OnnxExporter.PastKeyName(i)] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, past[1], 0, past[3]]);
                inputs[OnnxExporter.PastValueName(i)] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, past[1], 0, past[3]]);
            }

            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs, [OnnxExporter.LogitsName]);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            for (var t = 0; t < Window - 1; t++, count++)
            {
                var row = logits.Slice(t * Vocab, Vocab);
                var max = System.Numerics.Tensors.TensorPrimitives.Max(row);
                double sum = 0;
                foreach (var v in row)
                {
                    sum += Math.Exp(v - max);
                }

                nll += Math.Log(sum) + max - row[(int)ids[t + 1]];
            }

            foreach (var value in inputs.Values)
            {
                value.Dispose();
            }
        }

        return Math.Exp(nll / count);
    }

    internal sealed record VariantStats(long Bytes, double Perplexity);
}
