using Aigc.WebApi.Tests.Fixtures;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class MetricsAndHealthTests(WebHostFactory factory)
{
    [Fact]
    public async Task Metrics_exposes_the_Aigc_GenAI_instruments_in_Prometheus_text()
    {
        var client = factory.CreateClient();
        using (var chat = await client.PostJsonAsync("/v1/chat/completions", new { model = "tiny-gpt2", messages = new object[] { new { role = "user", content = "Hi" } }, max_tokens = 4 }))
        {
            Assert.Equal(200, (int)chat.StatusCode);
        }

        using var response = await client.GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("gen_ai_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_server_time_to_first_token_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_token_usage_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("otel_scope_name=\"Aigc.Inference\"", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_request_model=\"tiny-gpt2\"", text, StringComparison.Ordinal);
        Assert.Contains("service_name=\"Aigc.WebApi\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_the_served_model_loaded()
    {
        using var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var models = body.GetProperty("checks").GetProperty("aigc.models");
        Assert.Equal("Healthy", models.GetProperty("status").GetString());
        var loaded = models.GetProperty("data").GetProperty("Aigc.WebApi").GetProperty("loaded_models");
        Assert.Equal("tiny-gpt2/1", Assert.Single(loaded.EnumerateArray()).GetString());
        Assert.Equal(16, models.GetProperty("data").GetProperty("Aigc.WebApi").GetProperty("queue_capacity").GetInt32());
    }
}
