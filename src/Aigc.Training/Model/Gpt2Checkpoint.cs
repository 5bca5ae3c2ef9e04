using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Loads and saves GPT-2 models in the Hugging Face layout: <c>config.json</c> + <c>model.safetensors</c>. Keys
/// with or without the <c>transformer.</c> prefix load; the tied <c>lm_head.weight</c> and the old causal-mask
/// buffers (<c>attn.bias</c>, <c>attn.masked_bias</c>) are ignored; any other difference is an error naming the keys.
/// </summary>
public static class Gpt2Checkpoint
{
    /// <summary>The configuration file name.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The weights file name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Writes a model's configuration and weights (LoRA matrices excluded) to a folder.</summary>
    /// <param name="model">The model.</param>
    /// <param name="directory">The folder (created when missing).</param>
    /// <param name="metadata">Extra safetensors metadata, or <see langword="null"/>.</param>
    public static void Save(Gpt2LanguageModel model, string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        model.Config.Save(Path.Combine(directory, ConfigFile));
        var state = model.named_parameters()
            .Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        TensorStateFile.Save(Path.Combine(directory, WeightsFile), state, metadata);
    }

    /// <summary>Loads a model from a folder holding <c>config.json</c> and <c>model.safetensors</c>.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The model, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The weights do not fit the configuration; the message names the keys.</exception>
    public static Gpt2LanguageModel Load(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(configPath) || !File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"{directory} must hold {ConfigFile} and {WeightsFile}.", File.Exists(configPath) ? weightsPath : configPath);
        }

        var model = new Gpt2LanguageModel(Gpt2Config.Load(configPath));
        var (tensors, _) = TensorStateFile.Load(weightsPath);
        try
        {
            LoadWeights(model, tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }

        model.eval();
        return model;
    }

    /// <summary>Copies weights with Hugging Face GPT-2 names into a model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="tensors">The weights by name.</param>
    /// <exception cref="InvalidDataException">A key is missing, unexpected, or has the wrong shape.</exception>
    public static void LoadWeights(Gpt2LanguageModel model, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        var normalized = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
        {
            if (key == "lm_head.weight" || key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
            {
                continue;
            }

            normalized[key.StartsWith("transformer.", StringComparison.Ordinal) ? key : "transformer." + key] = tensor;
        }

        var parameters = model.named_parameters().Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal)).ToList();
        var missing = parameters.Where(p => !normalized.ContainsKey(p.name)).Select(p => p.name).ToList();
        var unexpected = normalized.Keys.Except(parameters.Select(p => p.name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"The weights do not fit the GPT-2 configuration: missing [{string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", …" : string.Empty)}], unexpected [{string.Join(", ", unexpected.Take(8))}{(unexpected.Count > 8 ? ", …" : string.Empty)}].");
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in parameters)
        {
            var source = normalized[name];
            if (!source.shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException($"'{name}' has shape [{string.Join(", ", source.shape)}]; the configuration needs [{string.Join(", ", parameter.shape)}].");
            }

            parameter.copy_(source.to(parameter.dtype));
        }
    }
}
