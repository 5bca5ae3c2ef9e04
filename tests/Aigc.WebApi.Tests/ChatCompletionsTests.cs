using System.Text.Json;
using Aigc.Inference;
using Aigc.WebApi.Tests.Fixtures;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class ChatCompletionsTests(WebHostFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Chat_answers_in_OpenAIs_shape_with_usage_counted_by_the_tokenizer()
    {
        using var response = await _client.PostJsonAsync("/v1/chat/completions", new
        {
            model = "tiny-gpt2",
            messages = new object[] { new { role = "system", content = "You write ads." }, new { role = "user", content = "A linen shirt" } },
            max_tokens = 6,
        });

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("tiny-gpt2", body.GetProperty("model").GetString());
        Assert.Equal("aigc-tiny-gpt2-v1", body.GetProperty("system_fingerprint").GetString());
        Assert.InRange(body.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);

        var usage = body.GetProperty("usage");
        var completionTokens = usage.GetProperty("completion_tokens").GetInt32();
        Assert.Equal(completionTokens == 6 ? "length" : "stop", choice.GetProperty("finish_reason").GetString());
        var prompt = ChatPromptTemplate.ChatML.Render([new ChatMessage(ChatRole.System, "You write ads."), new ChatMessage(ChatRole.User, "A linen shirt")]);
        Assert.Equal(TiktokenTokenizer.CreateForModel("gpt2").CountTokens(prompt), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + completionTokens, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_chat_sends_role_then_deltas_then_finish_usage_and_DONE_matching_the_whole_answer()
    {
        var request = new Dictionary<string, object>
        {
            ["model"] = "tiny-gpt2:playful",
            ["messages"] = new object[] { new { role = "user", content = new object[] { new { type = "text", text = "Describe " }, new { type = "text", text = "a mug" } } } },
            ["max_completion_tokens"] = 12,
        };
        using var whole = await _client.PostJsonAsync("/v1/chat/completions", request);
        var expected = await whole.JsonAsync();

        request["stream"] = true;
        request["stream_options"] = new { include_usage = true };
        using var response = await _client.PostJsonAsync("/v1/chat/completions", request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var chunks = Sse.Json(await Sse.ReadAllAsync(response));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.All(chunks, c => Assert.Equal("tiny-gpt2:playful", c.GetProperty("model").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());

        var deltas = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1).Select(c => c.GetProperty("choices")[0]).ToList();
        var text = string.Concat(deltas.Select(d => d.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : ""));
        var expectedChoice = expected.GetProperty("choices")[0];
        Assert.Equal(expectedChoice.GetProperty("message").GetProperty("content").GetString(), text); // greedy: the same tokens
        Assert.True(deltas.Count(d => d.GetProperty("delta").TryGetProperty("content", out var c) && c.GetString()!.Length > 0) > 1, "the answer should arrive in several pieces");
        Assert.All(deltas.SkipLast(1), d => Assert.Equal(JsonValueKind.Null, d.GetProperty("finish_reason").ValueKind));
        Assert.Equal(expectedChoice.GetProperty("finish_reason").GetString(), deltas[^1].GetProperty("finish_reason").GetString());

        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(expected.GetProperty("usage").GetRawText(), usageChunk.GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task Streamed_chat_without_include_usage_sends_no_usage_chunk()
    {
        using var response = await _client.PostJsonAsync("/v1/chat/completions", new
        {
            model = "tiny-gpt2",
            messages = new object[] { new { role = "user", content = "Hi" } },
            max_tokens = 3,
            stream = true,
        });

        var chunks = Sse.Json(await Sse.ReadAllAsync(response));
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
        Assert.NotEqual(JsonValueKind.Null, chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
    }

    [Fact]
    public async Task An_adapter_id_selects_that_LoRA_adapter()
    {
        async Task<string> AnswerAsync(string model)
        {
            using var response = await _client.PostJsonAsync("/v1/chat/completions", new { model, messages = new object[] { new { role = "user", content = "Hello there" } }, max_tokens = 10 });
            var body = await response.JsonAsync();
            Assert.Equal(model, body.GetProperty("model").GetString());
            return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        var baseAnswer = await AnswerAsync("tiny-gpt2");
        var formal = await AnswerAsync("tiny-gpt2:formal");
        Assert.NotEqual(baseAnswer, formal);
        Assert.Equal(baseAnswer, await AnswerAsync("tiny-gpt2")); // greedy and deterministic
    }

    [Fact]
    public async Task Seeded_sampling_repeats_itself()
    {
        async Task<string> AnswerAsync()
        {
            using var response = await _client.PostJsonAsync("/v1/chat/completions", new { model = "tiny-gpt2", messages = new object[] { new { role = "user", content = "Hello" } }, max_tokens = 10, temperature = 1.2, top_p = 0.95, seed = 123 });
            return (await response.JsonAsync()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        Assert.Equal(await AnswerAsync(), await AnswerAsync());
    }

    [Fact]
    public async Task Concurrent_requests_are_each_answered_in_full()
    {
        var requests = Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await _client.PostJsonAsync("/v1/chat/completions", new { model = i % 2 == 0 ? "tiny-gpt2" : "tiny-gpt2:playful", messages = new object[] { new { role = "user", content = $"Product {i}" } }, max_tokens = 5 + i });
            Assert.Equal(200, (int)response.StatusCode);
            var body = await response.JsonAsync();
            var tokens = body.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
            Assert.Equal(tokens == 5 + i ? "length" : "stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
            return body.GetProperty("id").GetString();
        });

        var ids = await Task.WhenAll(requests);
        Assert.Equal(8, ids.Distinct().Count());
    }
}
