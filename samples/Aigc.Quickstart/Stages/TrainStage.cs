using System.Globalization;
using Aigc;
using Aigc.Data;
using Aigc.Training;
using TorchSharp;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage 2: pretrain a tiny GPT-2-architecture base on every description (both brand styles), then LoRA-fine-tune
/// it to write in the Aurora style from product attributes. Each is a <see cref="TrainPipelineStep"/>: the step trains
/// in its own work folder, so a run that was stopped resumes from its newest checkpoint.
/// </summary>
internal static class TrainStage
{
    public const int SequenceLength = 64;

    public static Gpt2Config Config => new() { VocabSize = 50257, Positions = 128, EmbeddingSize = 64, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    public static LoraConfig Lora => new() { Rank = 8, Alpha = 16, TargetModulesRegex = LoraConfig.AllLinear };

    /// <summary>What the preparation delegates do, for the steps' fingerprints.</summary>
    public static Dictionary<string, string> Recipe(string corpus) => new()
    {
        ["corpus"] = corpus,
        ["sequence_length"] = SequenceLength.ToString(CultureInfo.InvariantCulture),
        ["model"] = $"gpt2 {Config.Layers}x{Config.EmbeddingSize} heads {Config.Heads} positions {Config.Positions}",
        ["lora"] = $"r={Lora.Rank} alpha={Lora.Alpha} {Lora.TargetModulesRegex}",
    };

    public static TrainerOptions PretrainOptions(QuickstartSettings settings, int seed) => new()
    {
        MaxSteps = settings.PretrainSteps, BatchSize = 8, LearningRate = 4e-3, WarmupSteps = settings.PretrainSteps / 10,
        Schedule = LearningRateSchedule.Cosine, SaveSteps = Math.Max(1, settings.PretrainSteps / 4), Seed = seed,
    };

    public static TrainerOptions LoraOptions(QuickstartSettings settings, int seed) => new()
    {
        MaxSteps = settings.LoraSteps, BatchSize = 8, LearningRate = 6e-3, WarmupSteps = settings.LoraSteps / 10,
        EvalSteps = Math.Max(1, settings.LoraSteps / 2), SaveSteps = Math.Max(1, settings.LoraSteps / 4), Seed = seed,
    };

    /// <summary>The pretraining job: a fresh base on the descriptions as plain text.</summary>
    public static async Task<TrainingJob> PrepareBaseAsync(IDatasetStore store, ModelPipelineContext context, int seed, CancellationToken cancellationToken)
    {
        var dataset = DatasetPipelineStep.GetDataset(context.GetOutput(QuickstartPipeline.Catalog));
        var records = await store.ReadAsync(dataset.Name, dataset.Version, "train", cancellationToken).ToListAsync(cancellationToken);
        var plain = RecordTokenizer.CreateGpt2();
        var train = Packer.Pack(records.Select(r => plain.Tokenize(DataRecord.CreateText(r.Id, r.GetField(FieldNames.Output)!)))).ToList();
        Console.WriteLine($"  tokenized       {train.Count} base sequences ({SequenceLength} GPT-2 tokens each)");
        TorchSharpRuntime.EnsureLoaded();
        torch.manual_seed(seed);
        return new TrainingJob(new FullFineTuningModel(new Gpt2LanguageModel(Config)), train);
    }

    /// <summary>The LoRA job: the pretrained base with an adapter, on Aurora instructions (prompt masked).</summary>
    public static async Task<TrainingJob> PrepareAdapterAsync(IDatasetStore store, ModelPipelineContext context, CancellationToken cancellationToken)
    {
        var dataset = DatasetPipelineStep.GetDataset(context.GetOutput(QuickstartPipeline.Catalog));
        var (train, validation) = await AuroraSequencesAsync(store, dataset, cancellationToken);
        Console.WriteLine($"  tokenized       {train.Count} Aurora sequences, {validation.Count} for validation");
        var baseDirectory = context.GetOutput(QuickstartPipeline.Pretrain).GetValue(TrainPipelineStep.ModelKey);
        TorchSharpRuntime.EnsureLoaded();
        var lora = LoraModel.Create(Gpt2Checkpoint.Load(baseDirectory), Lora);
        var (trainable, total) = lora.CountParameters();
        Console.WriteLine($"  LoRA            r={Lora.Rank} all-linear: {trainable:N0} of {total:N0} parameters trained ({100.0 * trainable / total:F2} %)");
        return new TrainingJob(lora, train, validation) { BaseModelDirectory = baseDirectory };
    }

    /// <summary>The Aurora instruction sequences of the train and validation splits.</summary>
    public static async Task<(List<PackedSequence> Train, List<PackedSequence> Validation)> AuroraSequencesAsync(IDatasetStore store, DatasetReference dataset, CancellationToken cancellationToken)
    {
        var instruct = RecordTokenizer.CreateGpt2(ChatTemplate.Alpaca);
        var train = await store.ReadAsync(dataset.Name, dataset.Version, "train", cancellationToken).Where(IsAurora).ToListAsync(cancellationToken);
        var validation = await store.ReadAsync(dataset.Name, dataset.Version, "validation", cancellationToken).Where(IsAurora).ToListAsync(cancellationToken);
        return (Packer.Pack(train.Select(instruct.Tokenize)).ToList(), Packer.Pack(validation.Select(instruct.Tokenize)).ToList());
    }

    private static SequencePacker Packer => new(new SequencePackerOptions { SequenceLength = SequenceLength });

    private static bool IsAurora(DataRecord record) => record.Labels.TryGetValue("style", out var style) && style == SyntheticCatalog.Aurora;
}
