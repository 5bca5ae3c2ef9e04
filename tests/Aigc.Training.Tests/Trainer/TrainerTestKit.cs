using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Trainer;

/// <summary>Small helpers shared by the trainer tests.</summary>
internal static class TrainerTestKit
{
    /// <summary>A LoRA model on the tiny synthetic GPT, its base and adapter initialised from <paramref name="seed"/>.</summary>
    public static LoraModel Lora(int seed, double dropout = 0.1)
    {
        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(SyntheticCorpus.Config);
        return LoraModel.Create(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn"], Dropout = dropout });
    }

    /// <summary>A copy of a model's trainable state.</summary>
    public static Dictionary<string, Tensor> Snapshot(ITrainableLanguageModel model) =>
        model.GetTrainableState().ToDictionary(p => p.Key, p => p.Value.detach().clone(), StringComparer.Ordinal);

    /// <summary>The largest absolute difference between two states with the same keys and shapes.</summary>
    public static double MaxDifference(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        double max = 0;
        foreach (var (key, tensor) in expected)
        {
            Assert.Equal(tensor.shape, actual[key].shape);
            max = Math.Max(max, (tensor - actual[key]).abs().max().item<float>());
        }

        return max;
    }

    /// <summary>The step numbers of the complete <c>checkpoint-N</c> folders in <paramref name="directory"/> (not half-written ones).</summary>
    public static int[] CheckpointSteps(string directory) =>
        Directory.EnumerateDirectories(directory, "checkpoint-*")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name!["checkpoint-".Length..], out var step) ? step : -1)
            .Where(step => step >= 0)
            .Order()
            .ToArray();
}

/// <summary>Calls a delegate synchronously on every report (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class CallbackProgress(Action<TrainingProgress> callback) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => callback(value);
}
