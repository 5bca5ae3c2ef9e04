using Aigc.Training;
using TorchSharp;
using static Aigc.Inference.Tests.Generation.EngineTestHelpers;

namespace Aigc.Inference.Tests.Generation;

/// <summary>A structurally pruned decoder (fewer heads, smaller n_inner) serves through the generation engine unchanged.</summary>
public sealed class PrunedModelServingTests
{
    [Fact]
    public async Task A_structurally_pruned_model_generates_the_greedy_tokens_of_its_TorchSharp_form_with_continuous_batching()
    {
        var folder = Directory.CreateTempSubdirectory("aigc-pruned-serving-").FullName;
        try
        {
            using var source = TestModels.Create(seed: 41, TestModels.SmallConfig);
            using var pruned = StructuredPruner.Prune(source, new StructuredPruningOptions { HeadRatio = 0.5, MlpChannelRatio = 0.5 }).Model;
            pruned.eval();
            var path = Path.Combine(folder, "pruned.onnx");
            OnnxExporter.Export(pruned, path);

            using var engine = Engine(path);
            var prompts = Enumerable.Range(0, 4).Select(i => Prompt(500 + i, 3 + (4 * i))).ToList();
            var served = await Task.WhenAll(prompts.Select(p => Task.Run(() => engine.CollectAsync(new GenerationRequest(p) { Sampling = new SamplingOptions { MaxTokens = 12 } }))));

            for (var i = 0; i < prompts.Count; i++)
            {
                Assert.Equal(TorchGreedy(pruned, prompts[i], 12), served[i].Ids());
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Greedy decoding in TorchSharp, recomputing the whole sequence for each token.</summary>
    private static List<int> TorchGreedy(Gpt2LanguageModel model, int[] prompt, int count)
    {
        var tokens = prompt.Select(t => (long)t).ToList();
        var result = new List<int>();
        using var noGrad = torch.no_grad();
        for (var n = 0; n < count; n++)
        {
            using var scope = torch.NewDisposeScope();
            var logits = model.Forward(torch.tensor(tokens.ToArray(), [1, tokens.Count])).Logits;
            var next = (int)logits[0, -1].argmax().item<long>();
            result.Add(next);
            tokens.Add(next);
        }

        return result;
    }
}
