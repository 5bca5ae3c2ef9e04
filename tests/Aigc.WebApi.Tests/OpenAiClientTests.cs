using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using Aigc.WebApi.Tests.Fixtures;
using OpenAI;
using OpenAI.Chat;

namespace Aigc.WebApi.Tests;

/// <summary>The official OpenAI .NET client, pointed at the host through the factory's HttpClient, completes chats.</summary>
[Collection(WebHostCollection.Name)]
public sealed class OpenAiClientTests(WebHostFactory factory)
{
    private ChatClient Client(string model)
    {
        var http = factory.CreateClient();
        var options = new OpenAIClientOptions { Endpoint = new Uri(http.BaseAddress!, "/v1"), Transport = new HttpClientPipelineTransport(http) };
        return new ChatClient(model, new ApiKeyCredential("not-checked"), options);
    }

    [Fact]
    public async Task The_OpenAI_client_completes_a_chat()
    {
        var client = Client("tiny-gpt2");

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("You write product copy."), new UserChatMessage("A linen shirt")],
            new ChatCompletionOptions { MaxOutputTokenCount = 7 });

        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal("tiny-gpt2", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 7);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount == 7 ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task The_OpenAI_client_streams_a_chat_with_the_same_text_and_usage()
    {
        var client = Client("tiny-gpt2:formal");
        ChatMessage[] messages = [new UserChatMessage("Describe a ceramic mug")];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 10 };
        ChatCompletion whole = await client.CompleteChatAsync(messages, options);

        var text = new StringBuilder();
        var pieces = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                pieces++;
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
            Assert.Equal("tiny-gpt2:formal", update.Model);
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.True(pieces > 1, "the answer should stream in several pieces");
        Assert.Equal(whole.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task The_OpenAI_client_surfaces_an_unknown_model_as_404()
    {
        var client = Client("no-such-model");
        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, error.Status);
        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }
}
