using Aigc.Inference;
using Aigc.WebApi.Serving;
using Microsoft.ML.Tokenizers;

namespace Aigc.WebApi.Tests;

public sealed class TinyModelSeedTests
{
    [Fact]
    public async Task Training_changes_what_the_seed_model_says_and_leaves_only_the_served_files()
    {
        var root = Path.Combine(Path.GetTempPath(), "aigc-webapi-seed-tests-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var untrained = await TinyModelSeed.EnsureAsync(Path.Combine(root, "untrained"), seed: 3, trainingSteps: 0);
            var trained = await TinyModelSeed.EnsureAsync(Path.Combine(root, "trained"), seed: 3, trainingSteps: 4);

            Assert.Equal(
                ["adapters/formal.onnx_adapter", "adapters/playful.onnx_adapter", "model.onnx"],
                Directory.GetFiles(trained, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(trained, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
            Assert.Empty(Directory.GetDirectories(root, "*.tmp-*"));
            var prompt = ChatPromptTemplate.ChatML.Render([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, SeedCorpus.Ask("linen shirt"))]);
            Assert.NotEqual(await AnswerAsync(untrained, prompt), await AnswerAsync(trained, prompt));
            var written = File.GetLastWriteTimeUtc(Path.Combine(trained, TinyModelSeed.ModelFile));
            Assert.Equal(trained, await TinyModelSeed.EnsureAsync(Path.Combine(root, "trained"), seed: 99, trainingSteps: 1));
            Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(trained, TinyModelSeed.ModelFile))); // found, not made again
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string> AnswerAsync(string folder, string prompt)
    {
        await using var engine = new GenerationEngine(new GenerationEngineOptions { ModelPath = Path.Combine(folder, TinyModelSeed.ModelFile) });
        var generator = new TextGenerator(engine, TiktokenTokenizer.CreateForModel("gpt2"));
        var result = await generator.GenerateAsync(prompt, new SamplingOptions { MaxTokens = 8 });
        return string.Join(",", result.Tokens.Select(t => t.TokenId));
    }
}
