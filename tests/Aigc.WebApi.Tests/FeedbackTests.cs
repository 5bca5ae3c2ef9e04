using Aigc.Monitoring;
using Aigc.WebApi.Tests.Fixtures;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class FeedbackTests(WebHostFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Feedback_is_stored_once_per_id_against_the_served_version()
    {
        var id = "fb-" + Guid.NewGuid().ToString("N");
        var body = new { id, trace_id = "chatcmpl-abc", model = "tiny-gpt2:formal", name = "thumbs", value = false, comment = "too long", correction = "A crisp linen shirt.", prompt = "A linen shirt", response = "noise" };

        using var first = await _client.PostJsonAsync("/v1/feedback", body);
        Assert.Equal(201, (int)first.StatusCode);
        var receipt = await first.JsonAsync();
        Assert.True(receipt.GetProperty("stored").GetBoolean());
        Assert.Equal("1", receipt.GetProperty("model_version").GetString());

        var stored = await factory.Services.GetRequiredService<IFeedbackStore>().GetAsync(id);
        Assert.NotNull(stored);
        Assert.Equal("tiny-gpt2:formal", stored.ModelName);
        Assert.Equal("1", stored.ModelVersion);
        Assert.Equal(FeedbackNames.Thumbs, stored.Name);
        Assert.False(stored.Value.AsBoolean);
        Assert.Equal("chatcmpl-abc", stored.TraceId);
        Assert.Equal("A crisp linen shirt.", stored.Correction);
        Assert.Equal("too long", stored.Comment);
        Assert.Equal("A linen shirt", stored.Prompt);
        Assert.Equal(FeedbackSource.Api, stored.Source);

        using var retry = await _client.PostJsonAsync("/v1/feedback", body with { value = true });
        Assert.Equal(200, (int)retry.StatusCode);
        Assert.False((await retry.JsonAsync()).GetProperty("stored").GetBoolean());
        Assert.False((await factory.Services.GetRequiredService<IFeedbackStore>().GetAsync(id))!.Value.AsBoolean); // unchanged
    }

    [Fact]
    public async Task A_rating_is_stored_as_a_number()
    {
        var id = "fb-" + Guid.NewGuid().ToString("N");
        using var response = await _client.PostJsonAsync("/v1/feedback", new { id, model = "tiny-gpt2", name = "rating", value = 4.5 });

        Assert.Equal(201, (int)response.StatusCode);
        var stored = await factory.Services.GetRequiredService<IFeedbackStore>().GetAsync(id);
        Assert.Equal(FeedbackValueKind.Numeric, stored!.Value.Kind);
        Assert.Equal(4.5, stored.Value.Number);
    }

    [Theory]
    [InlineData("""{"model":"tiny-gpt2","name":"thumbs","value":true}""", "id", 400)]
    [InlineData("""{"id":"x1","model":"tiny-gpt2","value":true}""", "name", 400)]
    [InlineData("""{"id":"x2","model":"tiny-gpt2","name":"thumbs"}""", "value", 400)]
    [InlineData("""{"id":"x3","model":"tiny-gpt2","name":"thumbs","value":{"up":true}}""", "value", 400)]
    [InlineData("""{"id":"x4","name":"thumbs","value":true}""", "model", 400)]
    [InlineData("""{"id":"x5","model":"other","name":"thumbs","value":true}""", "model", 404)]
    public async Task Bad_feedback_is_refused_naming_the_field(string body, string param, int status)
    {
        using var response = await _client.PostRawAsync("/v1/feedback", body);
        await response.AssertErrorAsync(status, param);
    }
}
