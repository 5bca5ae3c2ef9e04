using Aigc.Inference.Tests.Generation;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.TextGeneration;

namespace Aigc.Inference.Tests.Chat;

public sealed class GenerationKernelServiceTests
{
    [Fact]
    public async Task Chat_completion_and_text_generation_answer_through_the_engine_with_settings_mapped()
    {
        using var engine = TextGeneratorTests.Gpt2Engine();
        var generator = new TextGenerator(engine, TextGeneratorTests.Gpt2);
        using var chatClient = new GenerationChatClient(generator);
        var service = new GenerationKernelService(chatClient, generator);
        var history = new ChatHistory("You are terse.");
        history.AddUserMessage("Name a colour.");
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 6, ["temperature"] = 0.7, ["seed"] = 3 } };

        var chat = Assert.Single(await ((IChatCompletionService)service).GetChatMessageContentsAsync(history, settings));
        var direct = await chatClient.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, "Name a colour.")],
            new ChatOptions { MaxOutputTokens = 6, Temperature = 0.7f, Seed = 3 });
        Assert.Equal(direct.Text, chat.Content);
        Assert.Equal(AuthorRole.Assistant, chat.Role);
        Assert.Equal(6L, ((UsageDetails)chat.Metadata!["Usage"]!).OutputTokenCount);

        var streamed = new List<StreamingChatMessageContent>();
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(history, settings))
        {
            streamed.Add(update);
        }

        Assert.Equal(chat.Content, string.Concat(streamed.Select(s => s.Content)));

        var text = Assert.Single(await ((ITextGenerationService)service).GetTextContentsAsync("Once upon a time", new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 5 } }));
        Assert.Equal((await generator.GenerateAsync("Once upon a time", new SamplingOptions { MaxTokens = 5 })).Text, text.Text);
        Assert.Equal("tiny-gpt2", service.Attributes["ModelId"]);
    }
}
