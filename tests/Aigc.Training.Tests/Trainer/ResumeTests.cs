using System.Text.Json;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-resume-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Two epochs and a bit (5 steps an epoch), accumulation, warm-up, linear decay, weight decay and LoRA dropout:
    // everything a resume has to restore (data order, RNG, optimizer state, schedule position).
    private TrainerOptions Options(string name) => new()
    {
        OutputDirectory = Path.Combine(_root, name),
        MaxSteps = 12,
        BatchSize = 4,
        GradientAccumulationSteps = 2,
        LearningRate = 1e-2,
        WarmupSteps = 3,
        Schedule = LearningRateSchedule.Linear,
        WeightDecay = 0.1,
        Seed = 11,
    };

    private static List<Aigc.Data.PackedSequence> Data => SyntheticCorpus.CorpusB(40, 32, seed: 5);

    [Fact]
    public async Task A_run_cancelled_at_step_k_and_resumed_ends_with_the_weights_of_an_uninterrupted_run()
    {
        var reference = TrainerTestKit.Lora(seed: 21);
        using (var trainer = new CausalLmTrainer(reference, Options("reference")))
        {
            await trainer.TrainAsync(Data);
        }

        var interrupted = TrainerTestKit.Lora(seed: 21);
        using var cancellation = new CancellationTokenSource();
        using (var trainer = new CausalLmTrainer(interrupted, Options("interrupted")))
        {
            var progress = new CallbackProgress(p =>
            {
                if (p.Step == 7)
                {
                    cancellation.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.TrainAsync(Data, progress: progress, cancellationToken: cancellation.Token));
        }

        // A fresh process would rebuild the same base model; its adapter and the RNG come from the checkpoint.
        var resumed = TrainerTestKit.Lora(seed: 21);
        TorchSharp.torch.manual_seed(999);
        TrainingResult result;
        using (var trainer = new CausalLmTrainer(resumed, Options("interrupted")))
        {
            result = await trainer.TrainAsync(Data);
        }

        Assert.Equal(7, result.ResumedFromStep);
        Assert.Equal(12, result.Steps);
        var difference = TrainerTestKit.MaxDifference(TrainerTestKit.Snapshot(reference), TrainerTestKit.Snapshot(resumed));
        Assert.True(difference <= 1e-5, $"resumed weights differ from the uninterrupted run's by {difference:G3}");
        Assert.True(TrainerTestKit.MaxDifference(TrainerTestKit.Snapshot(TrainerTestKit.Lora(seed: 21)), TrainerTestKit.Snapshot(resumed)) > 1e-3, "training changed nothing");
    }

    [Fact]
    public async Task Cancellation_writes_a_checkpoint_of_the_step_it_stopped_at_even_without_periodic_saves()
    {
        var lora = TrainerTestKit.Lora(seed: 4);
        using var cancellation = new CancellationTokenSource();
        var options = Options("cancelled") with { SaveSteps = 0 };
        using var trainer = new CausalLmTrainer(lora, options);
        var progress = new CallbackProgress(p =>
        {
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.TrainAsync(Data, progress: progress, cancellationToken: cancellation.Token));

        Assert.Equal([3], TrainerTestKit.CheckpointSteps(options.OutputDirectory));
        var checkpoint = Path.Combine(options.OutputDirectory, "checkpoint-3");
        Assert.Equal(["optimizer.bin", "rng_state.bin", "trainable.safetensors", "trainer_state.json"], Directory.GetFiles(checkpoint).Select(Path.GetFileName).Order());
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "trainer_state.json")));
        Assert.Equal(3, state.RootElement.GetProperty("global_step").GetInt32());
        Assert.Equal(6, state.RootElement.GetProperty("batch_in_epoch").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(options.OutputDirectory, "final")));
        var saved = TensorStateFile.Load(Path.Combine(checkpoint, "trainable.safetensors")).Tensors;
        Assert.True(TrainerTestKit.MaxDifference(TrainerTestKit.Snapshot(lora), saved) == 0, "the checkpoint does not hold the weights at the step it stopped");
    }
}
