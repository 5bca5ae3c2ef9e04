using Aigc.Training;
using TorchSharp;

namespace Aigc.WebApi.Serving;

/// <summary>
/// Makes the tiny model the host serves when nothing is configured, so it runs offline on a fresh clone: a randomly
/// initialised GPT-2-architecture decoder with the GPT-2 vocabulary, exported to ONNX with LoRA inputs, and two LoRA
/// adapters (<c>formal</c>, <c>playful</c>) as ONNX Runtime adapter files. Its text is noise: it exists to exercise
/// the serving path; serve a trained model (the Quickstart's) by setting <c>WebApi:Model</c>.
/// </summary>
internal static class TinyModelSeed
{
    /// <summary>The model file inside a seed folder.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The folder of adapter files inside a seed folder.</summary>
    public const string AdaptersFolder = "adapters";

    /// <summary>The adapters the seed model comes with.</summary>
    public static IReadOnlyList<string> AdapterNames { get; } = ["formal", "playful"];

    /// <summary>The architecture: the GPT-2 vocabulary (so the GPT-2 tokenizer applies), 256 positions, 2 layers of width 32.</summary>
    public static Gpt2Config Config => new() { VocabSize = 50257, Positions = 256, EmbeddingSize = 32, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    /// <summary>Returns the seed folder under <paramref name="directory"/>, writing it first when it is not there yet.</summary>
    /// <param name="directory">The folder to keep the seed in.</param>
    /// <param name="seed">The random seed of the weights.</param>
    /// <returns>The folder holding <see cref="ModelFile"/> and <see cref="AdaptersFolder"/>.</returns>
    public static string Ensure(string directory, int seed)
    {
        var target = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(target, ModelFile)))
        {
            return target;
        }

        var staging = target + ".tmp-" + Environment.ProcessId;
        Write(staging, seed);
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, ModelFile)))
        {
            Directory.Delete(staging, recursive: true); // another process finished first
        }

        return target;
    }

    private static void Write(string directory, int seed)
    {
        TorchSharpRuntime.EnsureLoaded();
        Directory.CreateDirectory(Path.Combine(directory, AdaptersFolder));
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(Config);
        model.eval();
        var lora = new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn", "c_fc"] };
        var adapters = LoraModel.Create(model, lora, AdapterNames[0]);
        foreach (var name in AdapterNames.Skip(1))
        {
            adapters.AddAdapter(name, lora);
        }

        using (torch.no_grad())
        {
            // PEFT starts B at zero (an adapter that changes nothing); give each adapter weights of its own.
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains(".lora_B.", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 0.2);
                }
            }
        }

        OnnxExporter.Export(model, Path.Combine(directory, ModelFile), new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(lora), SourceModelVersion = "webapi-seed" });
        foreach (var name in AdapterNames)
        {
            adapters.SetActiveAdapter(name);
            OnnxAdapterWriter.Write(adapters, Path.Combine(directory, AdaptersFolder, name + OnnxAdapterWriter.FileExtension));
        }
    }
}
