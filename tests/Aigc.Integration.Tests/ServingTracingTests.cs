using System.Diagnostics;
using Aigc.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Aigc.Integration.Tests;

/// <summary>
/// OpenTelemetry's tracer provider with <c>AddAigcInstrumentation()</c> exports the engine's GenAI span of each chat
/// request served through <c>AddTextGeneration</c>, as a child of the caller's span.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class ServingTracingTests : IAsyncLifetime
{
    private readonly List<Activity> _exported = [];
    private TracerProvider _tracer = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        #region serving-tracing
        _tracer = Sdk.CreateTracerProviderBuilder().AddAigcInstrumentation().AddInMemoryExporter(_exported).Build();
        #endregion
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAigc()
            .AddInference()
            .AddTextGeneration("traced", o =>
            {
                o.Engine.ModelPath = TinyDecoder.Path;
                o.Engine.ModelName = "tiny-traced";
            });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _tracer.Dispose();
    }

    [Fact]
    public async Task A_chat_request_exports_one_GenAI_span_under_the_callers_span_with_the_responses_usage()
    {
        var chat = _host.Services.GetRequiredKeyedService<IChatClient>("traced");
        ChatResponse response;
        using (var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            caller.ActivityTraceFlags = ActivityTraceFlags.Recorded; // sampled, as an incoming request's span would be
            response = await chat.GetResponseAsync("Describe a linen shirt.", new ChatOptions { MaxOutputTokens = 5, Temperature = 0.7f, Seed = 3 });
            var span = Assert.Single(await WaitForSpans(caller.TraceId));
            Assert.Equal("chat tiny-traced", span.DisplayName);
            Assert.Equal(caller.SpanId, span.ParentSpanId);
            Assert.Equal(InferenceTelemetry.SourceName, span.Source.Name);
            Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("tiny-traced", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(3L, span.GetTagItem("gen_ai.request.seed"));
            Assert.Equal(5, span.GetTagItem("gen_ai.request.max_tokens"));
            Assert.Equal((int)response.Usage!.InputTokenCount!.Value, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal((int)response.Usage!.OutputTokenCount!.Value, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
    }

    /// <summary>Waits (up to 10 s) for the engine's spans of a trace: a reader that stops early leaves the engine to end the span.</summary>
    private async Task<List<Activity>> WaitForSpans(ActivityTraceId trace)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            _tracer.ForceFlush();
            List<Activity> spans;
            lock (_exported)
            {
                spans = _exported.Where(s => s.TraceId == trace).ToList();
            }

            if (spans.Count > 0 || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return spans;
            }

            await Task.Delay(20);
        }
    }
}
