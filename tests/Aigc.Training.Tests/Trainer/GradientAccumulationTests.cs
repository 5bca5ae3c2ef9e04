using Aigc.Data;
using TorchSharp;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class GradientAccumulationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-accumulate-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Sequences whose first labels are masked, a different number in each, as prompts are in instruction data.</summary>
    private static List<PackedSequence> MaskedData()
    {
        var data = new List<PackedSequence>();
        foreach (var (sequence, i) in SyntheticCorpus.CorpusB(24, 16, seed: 9).Select((s, i) => (s, i)))
        {
            var labels = sequence.Labels.ToArray();
            Array.Fill(labels, RecordTokenizer.IgnoreIndex, 0, i * 5 % 14);
            data.Add(new PackedSequence(sequence.InputIds, labels, sequence.PositionIds, sequence.SegmentIds));
        }

        return data;
    }

    private async Task<(FullFineTuningModel Model, TrainingResult Result)> TrainAsync(int batchSize, int accumulation)
    {
        torch.manual_seed(5);
        var model = new FullFineTuningModel(new Gpt2LanguageModel(SyntheticCorpus.Config));
        using var trainer = new CausalLmTrainer(model, new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, $"{batchSize}x{accumulation}"),
            MaxSteps = 3,
            BatchSize = batchSize,
            GradientAccumulationSteps = accumulation,
            LearningRate = 1e-3,
            WeightDecay = 0.01,
        });
        var result = await trainer.TrainAsync(MaskedData());
        return (model, result);
    }

    [Fact]
    public async Task Accumulating_two_batches_of_four_equals_one_batch_of_eight()
    {
        var (whole, wholeResult) = await TrainAsync(batchSize: 8, accumulation: 1);
        var (accumulated, accumulatedResult) = await TrainAsync(batchSize: 4, accumulation: 2);

        var difference = TrainerTestKit.MaxDifference(TrainerTestKit.Snapshot(whole), TrainerTestKit.Snapshot(accumulated));
        Assert.True(difference <= 1e-5, $"weights differ by {difference:G3}");
        Assert.Equal(wholeResult.LossHistory.Select(l => l.Loss), accumulatedResult.LossHistory.Select(l => l.Loss), (a, b) => Math.Abs(a - b) <= 1e-5);
        torch.manual_seed(5);
        var untrained = new FullFineTuningModel(new Gpt2LanguageModel(SyntheticCorpus.Config));
        Assert.True(TrainerTestKit.MaxDifference(TrainerTestKit.Snapshot(untrained), TrainerTestKit.Snapshot(whole)) > 1e-4, "training changed nothing");
    }
}
