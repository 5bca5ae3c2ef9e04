using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Aigc.Training.Tests.Trainer;

/// <summary>Kills a training process (tests/Aigc.Training.Worker) once it has a checkpoint, starts it again and checks it finishes as an uninterrupted run would.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class CrashRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string WorkerPath =>
        typeof(CrashRecoveryTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TrainingWorkerPath").Value!;

    private static Process StartWorker(string output, int delayMilliseconds)
    {
        Assert.True(File.Exists(WorkerPath), $"The worker is not built at {WorkerPath}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { WorkerPath, "--output", output, "--steps", "30", "--save-steps", "4", "--delay-ms", delayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3" })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static async Task<JsonElement> RunToEndAsync(string output)
    {
        using var process = StartWorker(output, delayMilliseconds: 0);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"The worker failed ({process.ExitCode}): {await stderr}");
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return JsonDocument.Parse(lines[^1]).RootElement.Clone();
    }

    private static bool HasCompleteCheckpoint(string output) =>
        Directory.Exists(output) && Directory.EnumerateDirectories(output, "checkpoint-*")
            .Any(d => !d.Contains(".tmp-", StringComparison.Ordinal) && File.Exists(Path.Combine(d, "trainer_state.json")));

    [Fact]
    public async Task A_killed_training_process_restarted_resumes_from_its_last_checkpoint_and_ends_as_an_uninterrupted_run()
    {
        var referenceDirectory = Path.Combine(_root, "reference");
        var crashedDirectory = Path.Combine(_root, "crashed");
        var reference = await RunToEndAsync(referenceDirectory);

        // Slowed down (40 ms a step) so the kill lands part-way through.
        using (var crashing = StartWorker(crashedDirectory, delayMilliseconds: 40))
        {
            var clock = Stopwatch.StartNew();
            while (!HasCompleteCheckpoint(crashedDirectory) && !crashing.HasExited && clock.Elapsed < Timeout)
            {
                await Task.Delay(10);
            }

            Assert.False(crashing.HasExited, "The worker finished before it could be killed.");
            crashing.Kill(entireProcessTree: true);
            await crashing.WaitForExitAsync();
        }

        Assert.False(Directory.Exists(Path.Combine(crashedDirectory, "final")), "The killed run got as far as its final artifact.");
        var checkpointsAtKill = TrainerTestKit.CheckpointSteps(crashedDirectory);
        var resumed = await RunToEndAsync(crashedDirectory);
        output.WriteLine($"checkpoints at kill: {string.Join(", ", checkpointsAtKill)}; resumed from step {resumed.GetProperty("resumedFromStep").GetInt32()}");

        Assert.Equal(0, reference.GetProperty("resumedFromStep").GetInt32());
        Assert.True(resumed.GetProperty("resumedFromStep").GetInt32() > 0);
        Assert.Equal(checkpointsAtKill.Max(), resumed.GetProperty("resumedFromStep").GetInt32());
        Assert.Equal(30, resumed.GetProperty("steps").GetInt32());
        var referenceWeights = TensorStateFile.Load(Path.Combine(referenceDirectory, "final", LoraModel.WeightsFile)).Tensors;
        var resumedWeights = TensorStateFile.Load(Path.Combine(crashedDirectory, "final", LoraModel.WeightsFile)).Tensors;
        var difference = TrainerTestKit.MaxDifference(referenceWeights, resumedWeights);
        Assert.True(difference <= 1e-5, $"the resumed run's adapter differs from the uninterrupted run's by {difference:G3}");
    }
}
