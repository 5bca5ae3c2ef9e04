using System.Text.Json;
using Aigc.WebApi.Tests.Fixtures;
using Microsoft.ML.Tokenizers;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class CompletionsTests(WebHostFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Completion_answers_in_OpenAIs_shape_with_at_most_16_tokens_by_default()
    {
        using var response = await _client.PostJsonAsync("/v1/completions", new { model = "tiny-gpt2", prompt = "Our new linen shirt" });

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("text").GetString()));
        var usage = body.GetProperty("usage");
        Assert.Equal(TiktokenTokenizer.CreateForModel("gpt2").CountTokens("Our new linen shirt"), usage.GetProperty("prompt_tokens").GetInt32());
        var completion = usage.GetProperty("completion_tokens").GetInt32();
        Assert.InRange(completion, 1, 16);
        Assert.Equal(completion == 16 ? "length" : "stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Echo_returns_the_prompt_before_the_completion()
    {
        using var plain = await _client.PostJsonAsync("/v1/completions", new { model = "tiny-gpt2", prompt = new[] { "Coffee mug" }, max_tokens = 5 });
        using var echoed = await _client.PostJsonAsync("/v1/completions", new { model = "tiny-gpt2", prompt = "Coffee mug", max_tokens = 5, echo = true });

        var text = (await plain.JsonAsync()).GetProperty("choices")[0].GetProperty("text").GetString();
        Assert.Equal("Coffee mug" + text, (await echoed.JsonAsync()).GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Streamed_completion_matches_the_whole_one()
    {
        using var whole = await _client.PostJsonAsync("/v1/completions", new { model = "tiny-gpt2:formal", prompt = "Leather wallet", max_tokens = 9 });
        var expected = await whole.JsonAsync();
        using var response = await _client.PostJsonAsync("/v1/completions", new { model = "tiny-gpt2:formal", prompt = "Leather wallet", max_tokens = 9, stream = true, stream_options = new { include_usage = true } });

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var chunks = Sse.Json(await Sse.ReadAllAsync(response));
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        var choices = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1).Select(c => c.GetProperty("choices")[0]).ToList();
        Assert.Equal(expected.GetProperty("choices")[0].GetProperty("text").GetString(), string.Concat(choices.Select(c => c.GetProperty("text").GetString())));
        Assert.Equal(expected.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), choices[^1].GetProperty("finish_reason").GetString());
        Assert.Equal(expected.GetProperty("usage").GetRawText(), chunks[^1].GetProperty("usage").GetRawText());
        Assert.Equal(JsonValueKind.Null, choices[0].GetProperty("finish_reason").ValueKind);
    }
}
