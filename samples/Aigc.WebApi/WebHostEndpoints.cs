using System.Text.Json;
using Aigc.WebApi.Admin;
using Aigc.WebApi.Feedback;
using Aigc.WebApi.OpenAi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aigc.WebApi;

/// <summary>Maps the web host's endpoints and the playground page.</summary>
internal static class WebHostEndpoints
{
    public static WebApplication MapAigcWebHost(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();

        var v1 = app.MapGroup("/v1").AddEndpointFilter<OpenAiErrorFilter>();
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapPost("/completions", CompletionsEndpoint.HandleAsync);
        v1.MapGet("/models", ModelsEndpoint.HandleAsync);
        v1.MapPost("/feedback", FeedbackEndpoint.HandleAsync);

        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminApiKeyFilter>().AddEndpointFilter<OpenAiErrorFilter>();
        admin.MapPost("/models/{name}/alias", AliasEndpoint.HandleAsync);

        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                static e => e.Key,
                static e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, OpenAiJson.Options, context.RequestAborted);
    }
}
