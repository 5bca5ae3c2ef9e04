using Aigc.Training.Tests.Trainer;
using TorchSharp;

namespace Aigc.Training.Tests.Distillation;

/// <summary>A teacher trained on plenty of corpus A (two layers, 64 wide), for distillation and pruning tests.</summary>
internal static class DistillationTestModels
{
    public static Gpt2LanguageModel Teacher(string directory)
    {
        torch.manual_seed(7);
        var model = new Gpt2LanguageModel(SyntheticCorpus.Config);
        using var trainer = new CausalLmTrainer(new FullFineTuningModel(model), new TrainerOptions
        {
            OutputDirectory = directory,
            MaxSteps = 200,
            BatchSize = 16,
            LearningRate = 5e-3,
            WarmupSteps = 10,
            Schedule = LearningRateSchedule.Cosine,
            Seed = 1,
        });
        trainer.TrainAsync(SyntheticCorpus.CorpusA(256, 32, seed: 1)).GetAwaiter().GetResult();
        model.eval();
        return model;
    }
}
