using Aigc.Training;
using TorchSharp;

namespace Aigc.Benchmarks.Generation;

/// <summary>
/// The tiny decoder the generation benchmarks run: GPT-2 vocabulary (50257), 64 wide, 2 layers of 4 heads, 512
/// positions, random weights; LoRA-enabled exports (c_attn and c_fc; one adapter per run, and per-row adapter slots) with four rank-8 adapters. Exported once into
/// a temp folder shared by the benchmark processes.
/// </summary>
internal static class GenerationBenchmarkModels
{
    public const int Vocab = 50257;

    private static readonly Lock Gate = new();

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "aigc-generation-benchmarks-v3");

    public static string Base => Path.Combine(Folder, "tiny.onnx");

    public static string Lora => Path.Combine(Folder, "tiny-lora.onnx");

    public static string LoraPerRow => Path.Combine(Folder, "tiny-lora-per-row.onnx");

    public static string Adapter(int i) => Path.Combine(Folder, $"adapter{i}{OnnxAdapterWriter.FileExtension}");

    public static void EnsureExported()
    {
        lock (Gate)
        {
            if (File.Exists(Adapter(3)))
            {
                return;
            }

            TorchSharpRuntime.EnsureLoaded();
            Directory.CreateDirectory(Folder);
            torch.manual_seed(1);
            var config = new Gpt2Config { VocabSize = Vocab, Positions = 512, EmbeddingSize = 64, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };
            using var model = new Gpt2LanguageModel(config);
            model.eval();
            OnnxExporter.Export(model, Base);
            var loraConfig = new LoraConfig { Rank = 8, Alpha = 16, TargetModules = ["c_attn", "c_fc"] };
            var lora = LoraModel.Create(model, loraConfig, "a0");
            for (var i = 1; i < 4; i++)
            {
                lora.AddAdapter($"a{i}", loraConfig);
            }

            using (torch.no_grad())
            {
                foreach (var (name, parameter) in model.named_parameters())
                {
                    if (name.Contains(".lora_B.", StringComparison.Ordinal))
                    {
                        parameter.normal_(0, 0.05);
                    }
                }
            }

            OnnxExporter.Export(model, Lora, new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(loraConfig) });
            OnnxExporter.Export(model, LoraPerRow, new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(loraConfig) with { PerRowAdapters = true } });
            for (var i = 0; i < 4; i++)
            {
                lora.SetActiveAdapter($"a{i}");
                OnnxAdapterWriter.Write(lora, Adapter(i));
            }
        }
    }
}
