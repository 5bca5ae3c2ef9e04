using System.Globalization;
using System.Text.Json;
using Aigc.Training;
using Aigc.Training.Tests.Trainer;
using TorchSharp;

// Trains a LoRA adapter on the tiny synthetic model, so a test can run training in its own process, kill it and
// start it again. Usage:
//   dotnet Aigc.Training.Worker.dll --output <dir> [--steps 40] [--save-steps 5] [--keep 2] [--delay-ms 0] [--seed 3]
// Prints one JSON line at the end: {"steps":…,"resumedFromStep":…,"outputDirectory":…,"trainLoss":…}.
var settings = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    settings[args[i].TrimStart('-')] = args[i + 1];
}

if (!settings.TryGetValue("output", out var output))
{
    Console.Error.WriteLine("usage: Aigc.Training.Worker --output <dir> [--steps N] [--save-steps K] [--keep C] [--delay-ms D] [--seed S]");
    return 2;
}

int Setting(string name, int fallback) =>
    settings.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

var steps = Setting("steps", 40);
var saveSteps = Setting("save-steps", 5);
var delay = Setting("delay-ms", 0);
var seed = Setting("seed", 3);

TorchSharpRuntime.EnsureLoaded();
torch.set_num_threads(1);
torch.manual_seed(seed);
var model = new Gpt2LanguageModel(SyntheticCorpus.Config);
var lora = LoraModel.Create(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn"], Dropout = 0.1 });
using var trainer = new CausalLmTrainer(lora, new TrainerOptions
{
    OutputDirectory = output,
    MaxSteps = steps,
    SaveSteps = saveSteps,
    SaveTotalLimit = Setting("keep", 2),
    BatchSize = 8,
    LearningRate = 1e-2,
    WarmupSteps = 3,
    Schedule = LearningRateSchedule.Cosine,
    Seed = seed,
});

var progress = new DelayingProgress(delay);
var result = await trainer.TrainAsync(SyntheticCorpus.CorpusB(48, 32, seed), progress: progress);
Console.WriteLine(JsonSerializer.Serialize(new
{
    steps = result.Steps,
    resumedFromStep = result.ResumedFromStep,
    outputDirectory = result.OutputDirectory,
    trainLoss = result.TrainLoss,
}));
return 0;

/// <summary>Slows each step down, so a test can kill the process part-way through.</summary>
internal sealed class DelayingProgress(int delayMilliseconds) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (delayMilliseconds > 0)
        {
            Thread.Sleep(delayMilliseconds);
        }
    }
}
