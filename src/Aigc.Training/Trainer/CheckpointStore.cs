using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Writes and reads training checkpoints: <c>checkpoint-&lt;step&gt;/</c> with the trainable state
/// (<c>trainable.safetensors</c>), optimizer state, RNG state and <c>trainer_state.json</c>. A checkpoint is
/// written to a temporary folder and renamed, so a crash never leaves half a checkpoint; the newest
/// <c>limit</c> and the best are kept.
/// </summary>
internal sealed class CheckpointStore(string outputDirectory)
{
    private const string Prefix = "checkpoint-";
    private const string StateFile = "trainer_state.json";
    private const string TrainableFile = "trainable.safetensors";
    private const string OptimizerFile = "optimizer.bin";
    private const string RngFile = "rng_state.bin";
    private const string TempMarker = ".tmp-";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Save(int step, ITrainableLanguageModel model, OptimizerHelper optimizer, TrainerState state)
    {
        Directory.CreateDirectory(outputDirectory);
        var final = Path.Combine(outputDirectory, Prefix + step.ToString(CultureInfo.InvariantCulture));
        var temp = final + TempMarker + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        TensorStateFile.Save(Path.Combine(temp, TrainableFile), model.GetTrainableState());
        optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
        using (var rng = torch.random.get_rng_state())
        {
            File.WriteAllBytes(Path.Combine(temp, RngFile), rng.data<byte>().ToArray());
        }

        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        Directory.Move(temp, final);
        return final;
    }

    /// <summary>Deletes the temporary folders of checkpoints a crashed or killed run left half-written.</summary>
    public void RemoveIncomplete()
    {
        if (!Directory.Exists(outputDirectory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(outputDirectory, Prefix + "*" + TempMarker + "*"))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public string? FindLatest()
    {
        if (!Directory.Exists(outputDirectory))
        {
            return null;
        }

        return Checkpoints().OrderByDescending(c => c.Step).Select(c => c.Path).FirstOrDefault(p => File.Exists(Path.Combine(p, StateFile)));
    }

    public static TrainerState Load(string checkpoint, ITrainableLanguageModel model, OptimizerHelper optimizer)
    {
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(checkpoint, StateFile)))
            ?? throw new InvalidDataException($"{checkpoint}/{StateFile} is empty.");
        if (state.Method != model.Method)
        {
            throw new InvalidDataException($"{checkpoint} was written by a '{state.Method}' run; this run trains '{model.Method}'. Use another output folder or turn ResumeFromCheckpoint off.");
        }

        var (tensors, _) = TensorStateFile.Load(Path.Combine(checkpoint, TrainableFile));
        try
        {
            model.LoadTrainableState(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }

        optimizer.load_state_dict(Path.Combine(checkpoint, OptimizerFile));
        var rng = File.ReadAllBytes(Path.Combine(checkpoint, RngFile));
        using (var rngTensor = torch.tensor(rng, dtype: ScalarType.Byte))
        {
            torch.random.set_rng_state(rngTensor);
        }

        return state;
    }

    /// <summary>Deletes all but the newest <paramref name="limit"/> checkpoints and the best one.</summary>
    public void Rotate(int limit, string? best)
    {
        var bestFull = best is null ? null : Path.GetFullPath(best);
        foreach (var (_, path) in Checkpoints().OrderByDescending(c => c.Step).Skip(limit))
        {
            if (!string.Equals(Path.GetFullPath(path), bestFull, StringComparison.Ordinal))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private IEnumerable<(int Step, string Path)> Checkpoints()
    {
        foreach (var directory in Directory.EnumerateDirectories(outputDirectory, Prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(directory).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                yield return (step, directory);
            }
        }
    }
}
