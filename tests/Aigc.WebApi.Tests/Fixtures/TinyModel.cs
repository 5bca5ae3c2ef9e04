using Aigc.WebApi.Serving;

namespace Aigc.WebApi.Tests.Fixtures;

/// <summary>The tiny GPT-2 model (with its two LoRA adapters) every test host serves, made once per test run.</summary>
internal static class TinyModel
{
    /// <summary>Random weights: answers never end early, so every test sees text (TinyModelSeedTests covers training).</summary>
    public const int TrainingSteps = 0;

    private static readonly Lazy<Task<string>> Seed = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "aigc-webapi-tests-" + Environment.ProcessId, "seed");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(Path.GetDirectoryName(folder)!);
        return TinyModelSeed.EnsureAsync(folder, seed: 7, TrainingSteps);
    });

    /// <summary>Returns the folder holding the model and adapter files, making them on first use.</summary>
    public static Task<string> GetFolderAsync() => Seed.Value;

    /// <summary>Returns a fresh, empty root folder for one host's registry and feedback store.</summary>
    public static string NewRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "aigc-webapi-tests-" + Environment.ProcessId, "host-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        return root;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
