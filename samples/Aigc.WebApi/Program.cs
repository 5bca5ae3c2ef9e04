using Aigc.WebApi;

// An OpenAI-compatible web host over Aigc: /v1/chat/completions, /v1/completions, /v1/models, /v1/feedback,
// /admin/models/{name}/alias, /metrics, /health, and a playground page at /. With no configuration it serves a tiny
// model it makes (once, offline) and registers in the model registry under Aigc:RootPath.
var builder = WebApplication.CreateBuilder(args);
builder.AddAigcWebHost();

var app = builder.Build();
app.MapAigcWebHost();
await app.RunAsync();

/// <summary>The web host's entry point (public so tests can start it with WebApplicationFactory).</summary>
public partial class Program;
