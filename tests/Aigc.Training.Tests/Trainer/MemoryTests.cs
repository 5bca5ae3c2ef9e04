using System.Diagnostics;

namespace Aigc.Training.Tests.Trainer;

[Collection(TorchSerialCollection.Name)]
public sealed class MemoryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-memory-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    [Fact]
    public async Task Resident_memory_after_500_steps_is_within_10_percent_of_that_after_50()
    {
        var lora = TrainerTestKit.Lora(seed: 8);
        var resident = new Dictionary<int, long>();
        var progress = new CallbackProgress(p =>
        {
            if (p.Step is 50 or 200 or 350 or 500)
            {
                resident[p.Step] = ResidentBytes();
            }
        });
        using var trainer = new CausalLmTrainer(lora, new TrainerOptions
        {
            OutputDirectory = _root,
            MaxSteps = 500,
            BatchSize = 4,
            LearningRate = 1e-3,
            EvalSteps = 100,
            SaveSteps = 100,
            Seed = 2,
        });

        await trainer.TrainAsync(SyntheticCorpus.CorpusB(64, 16, seed: 3), SyntheticCorpus.CorpusB(8, 16, seed: 4), progress);

        output.WriteLine(string.Join(", ", resident.Select(r => $"step {r.Key}: {r.Value / 1048576.0:F1} MiB")));
        Assert.True(resident[500] <= resident[50] * 1.10, $"resident size grew from {resident[50] / 1048576.0:F1} MiB at step 50 to {resident[500] / 1048576.0:F1} MiB at step 500");
    }
}
