using TorchSharp;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class CausalLmTrainerTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-train-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Gpt2LanguageModel Pretrained(string directory)
    {
        torch.manual_seed(7);
        var model = new Gpt2LanguageModel(SyntheticCorpus.Config);
        using var trainer = new CausalLmTrainer(new FullFineTuningModel(model), new TrainerOptions
        {
            OutputDirectory = directory,
            MaxSteps = 400,
            BatchSize = 16,
            LearningRate = 5e-3,
            WarmupSteps = 10,
            Schedule = LearningRateSchedule.Cosine,
            Seed = 1,
        });
        trainer.TrainAsync(SyntheticCorpus.CorpusA(256, 32, seed: 1)).GetAwaiter().GetResult();
        return model;
    }

    [Fact]
    public async Task LoRA_adapts_a_pretrained_model_to_a_new_corpus_with_under_two_percent_of_parameters()
    {
        var model = Pretrained(Path.Combine(_root, "base"));
        var baseWeights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var validationB = SyntheticCorpus.CorpusB(64, 32, seed: 99);

        #region lora-training
        var lora = LoraModel.Create(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn"] });
        using var trainer = new CausalLmTrainer(lora, new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "lora"),
            MaxSteps = 150,
            BatchSize = 16,
            LearningRate = 1e-2,
            Schedule = LearningRateSchedule.Cosine,
            WarmupSteps = 5,
            EvalSteps = 50,
            Seed = 2,
        });
        var before = trainer.Evaluate(validationB);
        var result = await trainer.TrainAsync(SyntheticCorpus.CorpusB(256, 32, seed: 2), validationB);
        #endregion

        var (trainable, total) = lora.CountParameters();
        output.WriteLine($"LoRA on B: validation loss {before:F4} -> {result.EvalLoss:F4} ({100 * (1 - (result.EvalLoss!.Value / before)):F1} % lower); {trainable} of {total} parameters trained ({100.0 * trainable / total:F2} %)");
        Assert.True((double)trainable / total < 0.02, $"{trainable} of {total} parameters trained");
        Assert.NotNull(result.EvalLoss);
        Assert.True(result.EvalLoss <= 0.5 * before, $"validation loss on B {before:F3} -> {result.EvalLoss:F3}");
        foreach (var (name, parameter) in model.named_parameters().Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal)))
        {
            Assert.True(parameter.detach().eq(baseWeights[name]).all().item<bool>(), $"base weight {name} changed");
        }

        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, LoraModel.WeightsFile)));
        Assert.Equal(3, result.EvalHistory.Count);
    }
}
