using Aigc.Inference;
using Microsoft.Extensions.AI;
using SkiaSharp;

namespace Aigc.Monitoring.Tests.Quality.Image;

/// <summary>
/// The Fréchet distance over features from a real extractor: ResNet18 from Microsoft.ML.DnnImageFeaturizer.ResNet18
/// (its batch dimension made symbolic with <see cref="OnnxModelPreparation"/>) behind Aigc.Inference's
/// <see cref="OnnxImageEmbeddingGenerator"/>, 512 features an image.
/// </summary>
public sealed class ResNet18FrechetDistanceTests : IDisposable
{
    private readonly string _model = Path.Combine(Path.GetTempPath(), "aigc-resnet18-" + Guid.NewGuid().ToString("N") + ".onnx");

    [Fact]
    public async Task Noise_images_are_closer_to_other_noise_images_than_to_smooth_gradients()
    {
        File.WriteAllBytes(_model, OnnxModelPreparation.MakeBatchDimensionSymbolic(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Models", "ResNet18.onnx"))));
        using var extractor = new OnnxImageEmbeddingGenerator(new OnnxImageEmbeddingOptions { ModelPath = _model, PixelScale = 1f, MaxBatchSize = 8 });
        var fid = new FrechetInceptionDistance(extractor);
        var noise = Enumerable.Range(1, 4).Select(s => Png(64, 48, (x, y, r) => ((byte)r.Next(256), (byte)r.Next(256), (byte)r.Next(256)), s)).ToList();
        var otherNoise = Enumerable.Range(11, 4).Select(s => Png(64, 48, (x, y, r) => ((byte)r.Next(256), (byte)r.Next(256), (byte)r.Next(256)), s)).ToList();
        var gradients = Enumerable.Range(21, 4).Select(s => Png(64, 48, (x, y, r) => ((byte)(x * 4), (byte)(y * 5), (byte)(s * 10)), s)).ToList();


        var close = await fid.ComputeAsync(noise, otherNoise);
        var far = await fid.ComputeAsync(noise, gradients);

        var features = (await extractor.GenerateAsync(noise)).Select(e => e.Vector).ToArray();
        var same = FrechetDistance.Compute(features, features);
        Assert.Equal(512, features[0].Length);
        Assert.True(same < 1e-6 * far, $"A set against itself: {same}.");
        Assert.True(close < far / 2, $"Noise vs noise {close}, noise vs gradients {far}.");
    }

    public void Dispose() => File.Delete(_model);

    private static DataContent Png(int width, int height, Func<int, int, Random, (byte R, byte G, byte B)> pixel, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y, random);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return new DataContent(data.ToArray(), "image/png");
    }
}
