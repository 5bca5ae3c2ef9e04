using Aigc;
using Aigc.Data;
using Aigc.Training;
using TorchSharp;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage 2: pretrain a tiny GPT-2-architecture base on every description (both brand styles), then LoRA-fine-tune
/// it to write in the Aurora style from product attributes. Runs resume from their checkpoints, so a second run
/// of the Quickstart finishes at once.
/// </summary>
internal static class TrainStage
{
    public static Gpt2Config Config => new() { VocabSize = 50257, Positions = 128, EmbeddingSize = 64, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    public static async Task<TrainOutcome> RunAsync(IDatasetStore store, DatasetManifest dataset, string workDirectory, int seed, CancellationToken cancellationToken)
    {
        TorchSharpRuntime.EnsureLoaded();
        var records = await store.ReadAsync(dataset.Name, dataset.Version, "train", cancellationToken).ToListAsync(cancellationToken);
        var validation = await store.ReadAsync(dataset.Name, dataset.Version, "validation", cancellationToken).ToListAsync(cancellationToken);

        // Pretraining corpus: the descriptions as plain text. Fine-tuning corpus: Aurora instructions (prompt masked).
        var plain = RecordTokenizer.CreateGpt2();
        var instruct = RecordTokenizer.CreateGpt2(ChatTemplate.Alpaca);
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 64 });
        var baseTrain = packer.Pack(records.Select(r => plain.Tokenize(DataRecord.CreateText(r.Id, r.GetField(FieldNames.Output)!)))).ToList();
        var styleTrain = packer.Pack(records.Where(IsAurora).Select(instruct.Tokenize)).ToList();
        var styleValidation = packer.Pack(validation.Where(IsAurora).Select(instruct.Tokenize)).ToList();
        Console.WriteLine($"  tokenized       {baseTrain.Count} base sequences, {styleTrain.Count} Aurora sequences (64 GPT-2 tokens each), {styleValidation.Count} for validation");

        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(Config);
        var baseDirectory = Path.Combine(workDirectory, "runs", "base");
        using (var trainer = new CausalLmTrainer(new FullFineTuningModel(model), new TrainerOptions
        {
            OutputDirectory = baseDirectory, MaxSteps = 160, BatchSize = 8, LearningRate = 4e-3, WarmupSteps = 16,
            Schedule = LearningRateSchedule.Cosine, SaveSteps = 80, Seed = seed,
        }))
        {
            var result = await trainer.TrainAsync(baseTrain, styleValidation, new ProgressBar("pretrain base"), cancellationToken);
            Console.WriteLine($"  base            {result.Steps} steps, train loss {result.TrainLoss:F3} → {Path.GetRelativePath(workDirectory, result.OutputDirectory)}");
        }

        var baseModel = Gpt2Checkpoint.Load(Path.Combine(baseDirectory, "final"));
        var lora = LoraModel.Create(baseModel, new LoraConfig { Rank = 8, Alpha = 16, TargetModulesRegex = LoraConfig.AllLinear });
        var adapterDirectory = Path.Combine(workDirectory, "runs", "aurora-lora");
        using var loraTrainer = new CausalLmTrainer(lora, new TrainerOptions
        {
            OutputDirectory = adapterDirectory, MaxSteps = 80, BatchSize = 8, LearningRate = 6e-3, WarmupSteps = 8,
            EvalSteps = 40, SaveSteps = 40, Seed = seed,
        });
        lora.AdaptersDisabled = true;
        var baseLoss = loraTrainer.Evaluate(styleValidation);
        lora.AdaptersDisabled = false;
        var tuned = await loraTrainer.TrainAsync(styleTrain, styleValidation, new ProgressBar("LoRA (Aurora)"), cancellationToken);
        var (trainable, total) = lora.CountParameters();
        Console.WriteLine($"  LoRA            r=8 all-linear: {trainable:N0} of {total:N0} parameters trained ({100.0 * trainable / total:F2} %) → {Path.GetRelativePath(workDirectory, tuned.OutputDirectory)}");
        Console.WriteLine($"  Aurora val loss base {baseLoss:F3} (perplexity {Math.Exp(baseLoss):F1}) → fine-tuned {tuned.EvalLoss:F3} (perplexity {tuned.EvalPerplexity:F1})");
        return new TrainOutcome(Path.Combine(baseDirectory, "final"), baseModel, lora, baseLoss, tuned.EvalLoss ?? double.NaN, tuned.LossHistory);
    }

    private static bool IsAurora(DataRecord record) => record.Labels.TryGetValue("style", out var style) && style == SyntheticCatalog.Aurora;
}

/// <summary>What the training stage produced.</summary>
internal sealed record TrainOutcome(string BaseDirectory, Gpt2LanguageModel BaseModel, LoraModel Tuned, double BaseValidationLoss, double TunedValidationLoss, IReadOnlyList<(int Step, double Loss)> LossHistory);
