using Aigc.Training;
using TorchSharp;

namespace Aigc.Inference.Tests.Generation;

/// <summary>
/// Tiny random GPT-2 decoders exported once per test run: weights large enough that logits differ by whole units
/// (so greedy choices are never near ties), LoRA-enabled exports (one adapter per run, and per-row adapter slots) with three adapters, and each adapter merged.
/// </summary>
internal static class TestModels
{
    private static readonly Lazy<Exported> Small = new(() => ExportAll());

    /// <summary>Vocabulary 97, 64 positions, 2 layers, 4 heads of 8.</summary>
    public static Gpt2Config SmallConfig => new() { VocabSize = 97, Positions = 64, EmbeddingSize = 32, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    /// <summary>The GPT-2 vocabulary (50257 tokens), 128 positions, 1 layer, 2 heads of 8.</summary>
    public static Gpt2Config Gpt2VocabConfig => new() { VocabSize = 50257, Positions = 128, EmbeddingSize = 16, Layers = 1, Heads = 2, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    public static Exported Models => Small.Value;

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "aigc-generation-tests-" + Environment.ProcessId);

    public static Gpt2LanguageModel Create(int seed, Gpt2Config config)
    {
        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(config);
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains(".ln_", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal))
                {
                    parameter.normal_(1.0, 0.1);
                }
                else if (name.EndsWith(".bias", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 0.1);
                }
                else if (name.Contains(".wte.", StringComparison.Ordinal) || name.Contains(".wpe.", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 0.5);
                }
                else
                {
                    parameter.normal_(0, 0.25);
                }
            }
        }

        model.eval();
        return model;
    }

    private static Exported ExportAll()
    {
        Directory.CreateDirectory(Folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };

        using var model = Create(7, SmallConfig);
        var basePath = Path.Combine(Folder, "small.onnx");
        OnnxExporter.Export(model, basePath);

        var loraConfig = new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn", "c_fc"] };
        var lora = LoraModel.Create(model, loraConfig, "x");
        lora.AddAdapter("y", new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["c_attn"] });
        lora.AddAdapter("z", new LoraConfig { Rank = 8, Alpha = 8, TargetModules = ["c_attn", "c_fc"] });
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains(".lora_B.", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 0.3);
                }
            }
        }

        var loraPath = Path.Combine(Folder, "small-lora.onnx");
        OnnxExporter.Export(model, loraPath, new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(loraConfig) });
        var perRowPath = Path.Combine(Folder, "small-lora-per-row.onnx");
        OnnxExporter.Export(model, perRowPath, new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(loraConfig) with { PerRowAdapters = true } });
        var adapters = new Dictionary<string, (string Adapter, string Merged)>(StringComparer.Ordinal);
        foreach (var name in new[] { "x", "y", "z" })
        {
            lora.SetActiveAdapter(name);
            var adapterPath = Path.Combine(Folder, name + OnnxAdapterWriter.FileExtension);
            OnnxAdapterWriter.Write(lora, adapterPath);
            var mergedPath = Path.Combine(Folder, "small-merged-" + name + ".onnx");
            OnnxExporter.ExportMerged(lora, mergedPath);
            adapters[name] = (adapterPath, mergedPath);
        }

        using var gpt2Vocab = Create(11, Gpt2VocabConfig);
        var gpt2Path = Path.Combine(Folder, "gpt2-vocab.onnx");
        OnnxExporter.Export(gpt2Vocab, gpt2Path);
        return new Exported(basePath, loraPath, perRowPath, adapters, gpt2Path);
    }

    internal sealed record Exported(string Base, string Lora, string LoraPerRow, IReadOnlyDictionary<string, (string Adapter, string Merged)> Adapters, string Gpt2Vocab);
}
