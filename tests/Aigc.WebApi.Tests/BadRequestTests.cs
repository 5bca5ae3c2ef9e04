using Aigc.WebApi.Tests.Fixtures;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class BadRequestTests(WebHostFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"tiny-gpt2"}""", "messages")]
    [InlineData("""{"model":"tiny-gpt2","messages":[]}""", "messages")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"temperature":2.5}""", "temperature")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"top_p":0}""", "top_p")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":-1}""", "max_completion_tokens")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"n":2}""", "n")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""", "stop")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"presence_penalty":3}""", "presence_penalty")]
    [InlineData("""{"model":"tiny-gpt2","messages":[{"role":"user","content":"hi"}],"logprobs":true}""", "logprobs")]
    public async Task Chat_refuses_a_bad_field_with_400_naming_it(string body, string param)
    {
        using var response = await _client.PostRawAsync("/v1/chat/completions", body);
        var error = await response.AssertErrorAsync(400, param);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(param.Split('[')[0], error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"tiny-gpt2"}""", "prompt")]
    [InlineData("""{"model":"tiny-gpt2","prompt":[1,2,3]}""", "prompt")]
    [InlineData("""{"model":"tiny-gpt2","prompt":"hi","suffix":"x"}""", "suffix")]
    [InlineData("""{"model":"tiny-gpt2","prompt":"hi","best_of":3}""", "best_of")]
    [InlineData("""{"model":"tiny-gpt2","prompt":"hi","frequency_penalty":-2.5}""", "frequency_penalty")]
    public async Task Completion_refuses_a_bad_field_with_400_naming_it(string body, string param)
    {
        using var response = await _client.PostRawAsync("/v1/completions", body);
        await response.AssertErrorAsync(400, param);
    }

    [Fact]
    public async Task An_unknown_model_is_404_model_not_found_listing_the_served_ids()
    {
        using var response = await _client.PostJsonAsync("/v1/chat/completions", new { model = "gpt-4o", messages = new object[] { new { role = "user", content = "hi" } } });
        var error = await response.AssertErrorAsync(404, "model");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("tiny-gpt2:formal", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_400_context_length_exceeded()
    {
        var longText = string.Join(' ', Enumerable.Repeat("linen", 400));
        using var response = await _client.PostJsonAsync("/v1/chat/completions", new { model = "tiny-gpt2", messages = new object[] { new { role = "user", content = longText } }, stream = true });
        var error = await response.AssertErrorAsync(400, "messages");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_400()
    {
        using var notJson = await _client.PostRawAsync("/v1/chat/completions", "{not json");
        await notJson.AssertErrorAsync(400, null);
        using var wrongType = await _client.PostAsync("/v1/completions", new StringContent("prompt=hi"));
        var error = await wrongType.AssertErrorAsync(400, null);
        Assert.Contains("application/json", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
