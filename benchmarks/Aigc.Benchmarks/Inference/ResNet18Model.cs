namespace Aigc.Benchmarks.Inference;

/// <summary>Finds ResNet18.onnx (shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1) and makes its batch dimension symbolic.</summary>
public static class ResNet18Model
{
    public const string Input = "Input247";
    public const string Output = "Pooling395_Output_0";
    public const int ImageElements = 3 * 224 * 224;

    public static string Path
    {
        get
        {
            var local = System.IO.Path.Combine(AppContext.BaseDirectory, "Models", "ResNet18.onnx");
            if (File.Exists(local))
            {
                return local;
            }

            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return System.IO.Path.Combine(packages, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
        }
    }

    public static byte[] PreparedBytes() => global::Aigc.Inference.OnnxModelPreparation.MakeBatchDimensionSymbolic(File.ReadAllBytes(Path));

    public static float[] Images(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * ImageElements];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextSingle() * 255f;
        }

        return pixels;
    }
}
