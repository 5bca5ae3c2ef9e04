using Aigc.Training;
using static Aigc.Inference.Tests.Generation.EngineTestHelpers;

namespace Aigc.Inference.Tests.Generation;

/// <summary>Models quantized by <see cref="OnnxQuantizer"/> keep the Optimum interface, so the engine serves them unchanged.</summary>
public sealed class QuantizedModelServingTests
{
    [Theory]
    [InlineData(OnnxQuantizationMethod.WeightOnlyInt8)]
    [InlineData(OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits)]
    [InlineData(OnnxQuantizationMethod.DynamicInt8)]
    [InlineData(OnnxQuantizationMethod.Float16)]
    public async Task The_engine_serves_a_quantized_model_with_its_cache_and_batching_as_the_no_cache_oracle_decodes_it(OnnxQuantizationMethod method)
    {
        var path = Path.Combine(TestModels.Folder, "small-" + method + ".onnx");
        _ = TestModels.Models;
        if (!File.Exists(path))
        {
            new OnnxQuantizer().Quantize(TestModels.Models.Base, path, new OnnxQuantizationOptions { Method = method, MinimumWeightElements = 64, BlockSize = 32 });
        }

        using var engine = Engine(path);
        using var reference = new ReferenceDecoder(path);
        var prompts = Enumerable.Range(0, 4).Select(i => Prompt(400 + i, 3 + (4 * i))).ToList();

        var together = await Task.WhenAll(prompts.Select(p => Task.Run(() => engine.CollectAsync(new GenerationRequest(p) { Sampling = new SamplingOptions { MaxTokens = 16 } }))));

        var expected = prompts.Select(p => reference.Greedy(p, 16)).ToList();
        if (method != OnnxQuantizationMethod.DynamicInt8)
        {
            for (var i = 0; i < prompts.Count; i++)
            {
                Assert.Equal(expected[i], together[i].Ids());
            }
        }
        else
        {
            // Dynamic int8 quantizes each MatMul input with one scale per tensor, so a token's logits depend on the
            // tokens computed with it (a prefill chunk, the batch of a decode step, the oracle's whole sequence) and a
            // near-tie may flip: concurrent requests must complete; requests served one at a time (a fixed batch
            // composition) give the same tokens every time and agree with the oracle on most of them.
            Assert.All(together, t => Assert.Equal(16, t.Count));
            var alone = new List<List<int>>();
            foreach (var prompt in prompts)
            {
                var first = (await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 16 } })).Ids();
                Assert.Equal(first, (await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 16 } })).Ids());
                alone.Add(first);
            }

            var agree = expected.Zip(alone).Sum(p => p.First.Zip(p.Second).Count(t => t.First == t.Second));
            Console.WriteLine($"dynamic int8, one request at a time: {agree} of 64 tokens agree with the oracle");
            Assert.True(agree >= 0.9 * 64, $"{agree} of 64 tokens agree with the oracle");
        }

        // The quantized tokens are the model's own, not the float32 model's by accident of an unconverted file.
        Assert.NotEqual(new FileInfo(TestModels.Models.Base).Length, new FileInfo(path).Length);
    }
}
