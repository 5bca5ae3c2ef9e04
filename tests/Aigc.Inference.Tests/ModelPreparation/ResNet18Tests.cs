using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference.Tests.ModelPreparation;

/// <summary>
/// A real model nobody here wrote: ResNet18 from the Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 package (opset 8,
/// input <c>Input247 [1,3,224,224]</c>, output <c>Pooling395_Output_0 [1,512,1,1]</c>). About 40 ms an image on two
/// cores, so the tests run a handful of images.
/// </summary>
public sealed class ResNet18Tests
{
    private const string Input = "Input247";
    private const string Output = "Pooling395_Output_0";
    private const int ImageSize = 3 * 224 * 224;

    internal static string ModelPath => Path.Combine(AppContext.BaseDirectory, "Models", "ResNet18.onnx");

    [Fact]
    public void The_shipped_file_has_a_fixed_batch_of_one_and_the_batcher_says_so()
    {
        using var session = ModelSession.Load(ModelPath, new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cpu, WarmUp = false });

        var input = Assert.Single(session.Metadata.Inputs);
        Assert.Equal(Input, input.Name);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([1L, 3L, 224L, 224L], input.Dimensions);
        Assert.Equal([1L, 512L, 1L, 1L], Assert.Single(session.Metadata.Outputs).Dimensions);
        var error = Assert.Throws<ModelLoadException>(() => new BatchedModel(session, new BatchingOptions()));
        Assert.Contains("MakeBatchDimensionSymbolic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_preparation_a_batch_of_three_images_gives_each_caller_what_it_gets_alone()
    {
        var prepared = OnnxModelPreparation.MakeBatchDimensionSymbolic(File.ReadAllBytes(ModelPath));
        using var session = ModelSession.LoadFromBytes(prepared, "resnet18", new ModelSessionOptions { ExecutionProvider = ExecutionProvider.Cpu }, null);
        Assert.Equal([-1L, 3L, 224L, 224L], session.Metadata.Inputs[0].Dimensions);
        Assert.Equal([-1L, 512L, 1L, 1L], session.Metadata.Outputs[0].Dimensions);
        var single = new InferenceRequest().Add(Input, InferenceTensor.Create<float>(Images(1, seed: 1), 1, 3, 224, 224));
        var pair = new InferenceRequest().Add(Input, InferenceTensor.Create<float>(Images(2, seed: 2), 2, 3, 224, 224));
        await using var model = new BatchedModel(session, new BatchingOptions { MaxBatchSize = 3, MaxQueueDelay = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        var results = await Task.WhenAll(model.InferAsync(single).AsTask(), model.InferAsync(pair).AsTask());

        Assert.All(results, r => Assert.Equal(3, r.BatchRows));
        Assert.Equal([2L, 512L, 1L, 1L], results[1][Output].Shape.ToArray());
        AssertClose(session.Run(single).GetOutput<float>(Output).Span, results[0].GetOutput<float>(Output).Span);
        var features = results[1].GetOutput<float>(Output).Span;
        for (var image = 0; image < 2; image++)
        {
            var alone = new InferenceRequest().Add(Input, InferenceTensor.Create<float>(pair.Inputs[Input].As<float>().Data.Slice(image * ImageSize, ImageSize), 1, 3, 224, 224));
            AssertClose(session.Run(alone).GetOutput<float>(Output).Span, features.Slice(image * 512, 512));
        }
    }

    internal static float[] Images(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * ImageSize];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextSingle() * 255f;
        }

        return pixels;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var nonZero = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"Feature {i}: {expected[i]} alone, {actual[i]} batched.");
            nonZero += expected[i] != 0 ? 1 : 0;
        }

        Assert.True(nonZero > expected.Length / 4, "The features are not trivially zero.");
    }
}
