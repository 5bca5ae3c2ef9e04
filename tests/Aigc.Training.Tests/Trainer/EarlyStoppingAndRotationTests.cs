using System.Text.Json;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class EarlyStoppingAndRotationTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-early-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static List<Aigc.Data.PackedSequence> Train => SyntheticCorpus.CorpusB(32, 16, seed: 1);

    private static List<Aigc.Data.PackedSequence> Validation => SyntheticCorpus.CorpusB(8, 16, seed: 2);

    [Fact]
    public async Task Training_stops_after_patience_evaluations_without_improvement()
    {
        // A learning rate of 0 keeps the validation loss exactly where it was: the first evaluation is the best.
        using var trainer = new CausalLmTrainer(TrainerTestKit.Lora(seed: 1), new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "flat"),
            MaxSteps = 40,
            BatchSize = 4,
            LearningRate = 0,
            EvalSteps = 2,
            EarlyStoppingPatience = 2,
        });

        var result = await trainer.TrainAsync(Train, Validation);

        Assert.True(result.StoppedEarly);
        Assert.Equal(6, result.Steps);
        Assert.Equal([2, 4, 6], result.EvalHistory.Select(e => e.Step));
        Assert.Equal(result.EvalHistory[0].Loss, result.BestEvalLoss);
    }

    private static FullFineTuningModel FullModel()
    {
        TorchSharp.torch.manual_seed(1);
        return new FullFineTuningModel(new Gpt2LanguageModel(SyntheticCorpus.Config));
    }

    [Fact]
    public async Task Improving_validation_loss_never_stops_early_but_a_threshold_larger_than_the_gains_does()
    {
        var options = new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "learning"),
            MaxSteps = 12,
            BatchSize = 8,
            LearningRate = 3e-3,
            EvalSteps = 2,
            EarlyStoppingPatience = 1,
        };
        using (var learning = new CausalLmTrainer(FullModel(), options))
        {
            var result = await learning.TrainAsync(Train, Validation);
            output.WriteLine(string.Join(", ", result.EvalHistory.Select(e => $"{e.Step}: {e.Loss:F4}")));
            Assert.False(result.StoppedEarly);
            Assert.Equal(12, result.Steps);
            Assert.True(result.EvalHistory[^1].Loss < result.EvalHistory[0].Loss);
        }

        using var strict = new CausalLmTrainer(FullModel(), options with { OutputDirectory = Path.Combine(_root, "strict"), EarlyStoppingThreshold = 10 });
        var stopped = await strict.TrainAsync(Train, Validation);
        Assert.True(stopped.StoppedEarly);
        Assert.Equal(4, stopped.Steps);
    }

    [Fact]
    public async Task Rotation_keeps_the_newest_checkpoints_and_the_best()
    {
        var output = Path.Combine(_root, "rotation");
        using var trainer = new CausalLmTrainer(TrainerTestKit.Lora(seed: 1), new TrainerOptions
        {
            OutputDirectory = output,
            MaxSteps = 10,
            BatchSize = 4,
            LearningRate = 0,
            EvalSteps = 2,
            SaveSteps = 2,
            SaveTotalLimit = 2,
        });

        await trainer.TrainAsync(Train, Validation);

        Assert.Equal([2, 8, 10], TrainerTestKit.CheckpointSteps(output));
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "checkpoint-10", "trainer_state.json")));
        Assert.Equal("checkpoint-2", Path.GetFileName(state.RootElement.GetProperty("best_model_checkpoint").GetString()));
        Assert.True(File.Exists(Path.Combine(output, "final", LoraModel.WeightsFile)));
    }

    [Fact]
    public async Task Without_evaluation_rotation_keeps_only_the_newest()
    {
        var output = Path.Combine(_root, "newest");
        using var trainer = new CausalLmTrainer(TrainerTestKit.Lora(seed: 1), new TrainerOptions
        {
            OutputDirectory = output,
            MaxSteps = 9,
            BatchSize = 4,
            SaveSteps = 2,
            SaveTotalLimit = 3,
        });

        await trainer.TrainAsync(Train);

        Assert.Equal([6, 8, 9], TrainerTestKit.CheckpointSteps(output));
    }
}
