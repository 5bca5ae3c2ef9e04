using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Export;

/// <summary>Random tiny GPT-2 models with weights large enough that logits differ by whole units, and the folder exported models go to.</summary>
internal static class OnnxTestModels
{
    /// <summary>When set, exported test models are kept under this folder (CI runs <c>eng/check-onnx.py</c> over it).</summary>
    public const string CheckDirVariable = "AIGC_ONNX_CHECK_DIR";

    public static Gpt2Config Config => new() { VocabSize = 97, Positions = 64, EmbeddingSize = 32, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    public static Gpt2LanguageModel Create(int seed, Gpt2Config? config = null)
    {
        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(config ?? Config);
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

    /// <summary>Gives each test its own folder: under <see cref="CheckDirVariable"/> when set (kept), else a temp folder removed on dispose.</summary>
    /// <param name="output">Where the folder is printed.</param>
    /// <param name="name">The test's folder name.</param>
    /// <param name="checkable">False for models Debian 12's onnx 1.12 checker cannot read (opset above 17): they never go to the check folder.</param>
    public static ExportFolder Folder(ITestOutputHelper output, string name, bool checkable = true)
    {
        var root = checkable ? Environment.GetEnvironmentVariable(CheckDirVariable) : null;
        var keep = !string.IsNullOrEmpty(root);
        var path = keep
            ? Path.Combine(root!, name)
            : Path.Combine(Path.GetTempPath(), "aigc-onnx-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        if (keep && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        output.WriteLine($"Exported test models: {path}{(keep ? string.Empty : $" (set {CheckDirVariable} to keep them)")}");
        return new ExportFolder(path, keep);
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    public static float[] ToArray(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}

internal sealed class ExportFolder(string path, bool keep) : IDisposable
{
    public string Path { get; } = path;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (!keep && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
