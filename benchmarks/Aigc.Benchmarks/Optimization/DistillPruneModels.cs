using System.Globalization;
using System.Text.Json;
using Aigc.Data;
using Aigc.Training;
using TorchSharp;

namespace Aigc.Benchmarks.Optimization;

/// <summary>
/// The models <see cref="DistillPruneBenchmarks"/> compares, trained once and exported into a temp folder shared by
/// the benchmark processes, with their held-out perplexity and parameter count in <c>stats.json</c>:
/// <list type="bullet">
/// <item><c>teacher</c>: fp32, 4 layers × 128 wide, 4 heads, n_inner 512, trained 200 steps on the synthetic language;</item>
/// <item><c>student</c>: 2 layers × 64, 2 heads, trained alone with the same data, steps and seed (for reference);</item>
/// <item><c>distilled</c>: the same student trained with the teacher (T 2, α 0.5);</item>
/// <item><c>pruned</c>: the teacher with half its heads and MLP channels removed by gradient×weight importance,
/// then recovered by 60 steps of distillation from the unpruned teacher.</item>
/// </list>
/// The language (vocabulary 512) is a sparse Markov chain (each token has 4 likely successors) mixed with copies of
/// the token 8 positions back, so both the MLPs and attention matter.
/// </summary>
internal static class DistillPruneModels
{
    public const int Vocab = 512;
    public const int SequenceLength = 64;

    private static readonly Lock Gate = new();

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "aigc-distill-prune-benchmarks-v3");

    public static string OnnxPath(string name) => Path.Combine(Folder, name + ".onnx");

    public static Gpt2Config TeacherConfig => new() { VocabSize = Vocab, Positions = 128, EmbeddingSize = 128, Layers = 4, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    public static Gpt2Config StudentConfig => TeacherConfig with { EmbeddingSize = 64, Layers = 2, Heads = 2 };

    /// <summary>The statistics when the models were built, else <see langword="null"/> (never builds them).</summary>
    public static IReadOnlyDictionary<string, ModelStats>? TryLoadStats()
    {
        var statsPath = Path.Combine(Folder, "stats.json");
        return File.Exists(statsPath) ? JsonSerializer.Deserialize<Dictionary<string, ModelStats>>(File.ReadAllText(statsPath)) : null;
    }

    public static void EnsureBuilt()
    {
        lock (Gate)
        {
            var statsPath = Path.Combine(Folder, "stats.json");
            if (!File.Exists(statsPath))
            {
                Build(statsPath);
            }
        }
    }

    private static void Build(string statsPath)
    {
        TorchSharpRuntime.EnsureLoaded();
        Directory.CreateDirectory(Folder);
        var work = Path.Combine(Folder, "runs");
        var train = Corpus(512, seed: 1);
        var validation = Corpus(64, seed: 2);
        var stats = new Dictionary<string, ModelStats>(StringComparer.Ordinal);
        var options = new TrainerOptions { BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 20, Schedule = LearningRateSchedule.Cosine, Seed = 1, ResumeFromCheckpoint = false };

        torch.manual_seed(1);
        var teacher = new Gpt2LanguageModel(TeacherConfig);
        Train(new FullFineTuningModel(teacher), options with { MaxSteps = 200, OutputDirectory = Path.Combine(work, "teacher") }, train, validation, "teacher", stats);

        torch.manual_seed(2);
        using (var student = new Gpt2LanguageModel(StudentConfig))
        {
            Train(new FullFineTuningModel(student), options with { MaxSteps = 200, OutputDirectory = Path.Combine(work, "student") }, train, validation, "student", stats);
        }

        torch.manual_seed(2);
        using (var student = new Gpt2LanguageModel(StudentConfig))
        {
            var distillation = new DistillationModel(new FullFineTuningModel(student), teacher, new DistillationOptions { Temperature = 2, Alpha = 0.5 });
            Train(distillation, options with { MaxSteps = 200, OutputDirectory = Path.Combine(work, "distilled") }, train, validation, "distilled", stats);
        }

        var pruning = new StructuredPruningOptions { HeadRatio = 0.5, MlpChannelRatio = 0.5, Importance = PruningImportance.GradientTimesWeight };
        using (var pruned = StructuredPruner.Prune(teacher, pruning, train.Take(64).ToList()).Model)
        {
            var recovery = new DistillationModel(new FullFineTuningModel(pruned), teacher, new DistillationOptions { Temperature = 2, Alpha = 0.5 });
            Train(recovery, options with { MaxSteps = 60, LearningRate = 1e-3, WarmupSteps = 5, OutputDirectory = Path.Combine(work, "pruned") }, train, validation, "pruned", stats);
        }

        teacher.Dispose();
        File.WriteAllText(statsPath, JsonSerializer.Serialize(stats));
    }

    private static void Train(ITrainableLanguageModel model, TrainerOptions options, List<PackedSequence> train, List<PackedSequence> validation, string name, Dictionary<string, ModelStats> stats)
    {
        using var trainer = new CausalLmTrainer(model, options);
        var progress = new Progress<TrainingProgress>(p =>
        {
            if (p.Step % 20 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {name}: step {p.Step}/{p.TotalSteps}, loss {p.Loss:F3}, ETA {p.Eta:mm\\:ss}"));
            }
        });
        var result = trainer.TrainAsync(train, validation, progress).GetAwaiter().GetResult();
        model.Model.eval();
        OnnxExporter.Export(model.Model, OnnxPath(name));
        stats[name] = new ModelStats(model.Model.parameters().Sum(p => p.numel()), Math.Exp(result.EvalLoss!.Value));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {name}: held-out perplexity {stats[name].Perplexity:F3}, {stats[name].Parameters} parameters"));
    }

    /// <summary>Sequences of the synthetic language: 60 % a Markov successor of the previous token, 40 % a copy of the token 8 back.</summary>
    public static List<PackedSequence> Corpus(int count, int seed)
    {
        var grammar = new Random(12345);
        var successors = Enumerable.Range(0, Vocab).Select(_ => Enumerable.Range(0, 4).Select(_ => grammar.Next(Vocab)).ToArray()).ToArray();
        var random = new Random(seed);
        var result = new List<PackedSequence>(count);
        for (var n = 0; n < count; n++)
        {
            var ids = new int[SequenceLength];
            for (var i = 0; i < SequenceLength; i++)
            {
                ids[i] = i == 0 ? random.Next(Vocab)
                    : i >= 8 && random.NextDouble() < 0.4 ? ids[i - 8]
                    : successors[ids[i - 1]][random.NextDouble() < 0.7 ? 0 : random.Next(1, 4)];
            }

            result.Add(new PackedSequence(ids, ids.ToArray(), Enumerable.Range(0, SequenceLength).ToArray(), Enumerable.Repeat(1, SequenceLength).ToArray()));
        }

        return result;
    }

    internal sealed record ModelStats(long Parameters, double Perplexity);
}
