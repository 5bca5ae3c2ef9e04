using Aigc.Inference.Tests.Generation;
using Microsoft.Extensions.AI;

namespace Aigc.Inference.Tests.Chat;

public sealed class GenerationChatClientTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Name a colour.")];

    [Fact]
    public async Task Responses_and_streams_agree_and_report_usage_finish_reason_and_model()
    {
        using var engine = TextGeneratorTests.Gpt2Engine();
        var generator = new TextGenerator(engine, TextGeneratorTests.Gpt2);
        using IChatClient client = new GenerationChatClient(generator);
        var options = new ChatOptions { MaxOutputTokens = 12, Temperature = 0.8f, Seed = 5 };

        var response = await client.GetResponseAsync(Conversation, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, options))
        {
            updates.Add(update);
        }

        var promptTokens = TextGeneratorTests.Gpt2.EncodeToIds(generator.RenderPrompt(Conversation)).Count;
        Assert.Equal(promptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(promptTokens + 12, response.Usage.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("tiny-gpt2", response.ModelId);
        Assert.Equal(response.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
        Assert.Equal(12, updates[^1].Contents.OfType<UsageContent>().Single().Details.OutputTokenCount);
        Assert.Equal("aigc", client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Same(engine, client.GetService<GenerationEngine>());
    }

    [Fact]
    public async Task Chat_options_map_onto_sampling_and_ModelId_selects_the_model_or_fails_clearly()
    {
        using var engine = TextGeneratorTests.Gpt2Engine();
        var generator = new TextGenerator(engine, TextGeneratorTests.Gpt2);
        using IChatClient client = new GenerationChatClient(generator, ["writer"]);

        var greedy = await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 8, ModelId = "writer" });
        var expected = await generator.GenerateAsync(generator.RenderPrompt(Conversation), new SamplingOptions { MaxTokens = 8, StopSequences = ["<|im_end|>"] });
        Assert.Equal(expected.Text, greedy.Text);

        var withLogprobs = await client.GetResponseAsync(Conversation, new ChatOptions
        {
            MaxOutputTokens = 3,
            AdditionalProperties = new() { ["logprobs"] = true, ["top_logprobs"] = 2, ["repetition_penalty"] = 1.3 },
        });
        var tokens = Assert.IsAssignableFrom<IReadOnlyList<GeneratedToken>>(withLogprobs.AdditionalProperties!["logprobs"]);
        Assert.Equal(3, tokens.Count);
        Assert.All(tokens, t => Assert.True(t.LogProbability <= 0));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Conversation, new ChatOptions { ModelId = "gpt-5" }));
        Assert.Contains("'gpt-5' names neither this model", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Conversation, new ChatOptions { AdditionalProperties = new() { ["top_logprobs"] = "many" } }));
    }

    [Fact]
    public async Task Cancelling_a_stream_stops_the_sequence()
    {
        using var engine = TextGeneratorTests.Gpt2Engine();
        using IChatClient client = new GenerationChatClient(new TextGenerator(engine, TextGeneratorTests.Gpt2));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 100, Temperature = 1, Seed = 1 }, cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        await EngineTestHelpers.WaitUntilAsync(() => engine.RunningSequences == 0);
    }
}
