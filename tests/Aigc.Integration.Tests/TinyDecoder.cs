using System.Runtime.CompilerServices;
using Aigc.Training;
using TorchSharp;

namespace Aigc.Integration.Tests;

/// <summary>
/// A tiny random GPT-2 decoder with the GPT-2 vocabulary (so the GPT-2 tokenizer applies), exported once per test
/// run to ONNX in the Optimum convention.
/// </summary>
internal static class TinyDecoder
{
    private static readonly Lazy<string> Exported = new(Export);

    /// <summary>The path of the exported model.</summary>
    public static string Path => Exported.Value;

    [ModuleInitializer]
    internal static void LoadTorchSharp() => TorchSharpRuntime.EnsureLoaded();

    private static string Export()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aigc-integration-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };

        torch.manual_seed(11);
        using var model = new Gpt2LanguageModel(new Gpt2Config
        {
            VocabSize = 50257, Positions = 128, EmbeddingSize = 16, Layers = 1, Heads = 2, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0,
        });
        model.eval();
        var path = System.IO.Path.Combine(folder, "tiny.onnx");
        OnnxExporter.Export(model, path);
        return path;
    }
}
