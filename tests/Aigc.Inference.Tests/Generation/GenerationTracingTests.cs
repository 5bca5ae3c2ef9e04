using System.Diagnostics;
using Aigc.Inference.Tests.Fixtures;

namespace Aigc.Inference.Tests.Generation;

public sealed class GenerationTracingTests : IDisposable
{
    private readonly SpanCollector _spans = new();

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task A_request_is_one_internal_GenAI_span_under_the_callers_activity_with_its_settings_usage_and_events()
    {
        using var engine = EngineTestHelpers.Engine(TestModels.Models.Base, o => o.ModelName = "small");
        var sampling = new SamplingOptions
        {
            MaxTokens = 6, Temperature = 0.8f, TopK = 20, TopP = 0.9f, Seed = 7, PresencePenalty = 0.5f, FrequencyPenalty = 0.25f, StopSequences = ["zz"],
        };
        using var parent = SpanCollector.Parent("caller");

        var tokens = await engine.CollectAsync(new GenerationRequest(EngineTestHelpers.Prompt(70, 5)) { Sampling = sampling });

        var span = Assert.Single(_spans.In(parent));
        Assert.Equal("text_completion small", span.DisplayName);
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("text_completion", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("aigc", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("small", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("small", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(6, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal((double)0.8f, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(20.0, span.GetTagItem("gen_ai.request.top_k"));
        Assert.Equal((double)0.9f, span.GetTagItem("gen_ai.request.top_p"));
        Assert.Equal(7L, span.GetTagItem("gen_ai.request.seed"));
        Assert.Equal(0.5, span.GetTagItem("gen_ai.request.presence_penalty"));
        Assert.Equal(0.25, span.GetTagItem("gen_ai.request.frequency_penalty"));
        Assert.Equal(["zz"], Assert.IsType<string[]>(span.GetTagItem("gen_ai.request.stop_sequences")));
        Assert.Equal(5, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(tokens.Count, span.GetTagItem("gen_ai.usage.output_tokens"));
        var finish = tokens[^1].FinishReason == GenerationFinishReason.Stop ? "stop" : "length";
        Assert.Equal([finish], Assert.IsType<string[]>(span.GetTagItem("gen_ai.response.finish_reasons")));
        Assert.Null(span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem(InferenceTelemetry.AdapterName));

        Assert.Equal(
            [InferenceTelemetry.AdmittedEvent, InferenceTelemetry.PrefillCompletedEvent, InferenceTelemetry.FirstTokenEvent],
            span.Events.Select(e => e.Name));
        var firstToken = span.Events.Last();
        var ttft = Assert.IsType<double>(firstToken.Tags.Single(t => t.Key == InferenceTelemetry.TimeToFirstToken).Value);
        Assert.InRange(ttft, 0, span.Duration.TotalSeconds + 0.01);
        Assert.True(firstToken.Timestamp <= span.StartTimeUtc + span.Duration);
        Assert.Equal(5, span.Events.ElementAt(1).Tags.Single(t => t.Key == InferenceTelemetry.UsageInputTokens).Value);
    }

    [Fact]
    public async Task A_chat_response_and_its_span_carry_the_same_response_id()
    {
        using var engine = TextGeneratorTests.Gpt2Engine();
        using Microsoft.Extensions.AI.IChatClient client = new GenerationChatClient(new TextGenerator(engine, TextGeneratorTests.Gpt2));
        Microsoft.Extensions.AI.ChatMessage[] conversation = [new(Microsoft.Extensions.AI.ChatRole.User, "Hi")];
        var options = new Microsoft.Extensions.AI.ChatOptions { MaxOutputTokens = 3 };
        using var parent = SpanCollector.Parent("caller");

        var response = await client.GetResponseAsync(conversation, options);
        var streamed = new List<string?>();
        await foreach (var update in client.GetStreamingResponseAsync(conversation, options))
        {
            streamed.Add(update.ResponseId);
        }

        var spans = _spans.In(parent).ToList();
        Assert.Equal(2, spans.Count);
        Assert.False(string.IsNullOrEmpty(response.ResponseId));
        Assert.Equal(response.ResponseId, spans[0].GetTagItem("gen_ai.response.id"));
        Assert.Equal(streamed[0], spans[1].GetTagItem("gen_ai.response.id"));
        Assert.Single(streamed.Distinct());
        Assert.NotEqual(response.ResponseId, streamed[0]);
    }

    [Fact]
    public async Task Defaults_leave_optional_settings_off_and_a_greedy_request_still_records_its_temperature_and_max_tokens()
    {
        using var engine = EngineTestHelpers.Engine(TestModels.Models.Base, o => o.ModelName = "plain");
        using var parent = SpanCollector.Parent("caller");

        await engine.CollectAsync(new GenerationRequest(EngineTestHelpers.Prompt(3, 4)) { Sampling = new SamplingOptions { MaxTokens = 3 } });

        var span = Assert.Single(_spans.In(parent));
        Assert.Equal(0.0, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(3, span.GetTagItem("gen_ai.request.max_tokens"));
        foreach (var name in new[] { "gen_ai.request.top_k", "gen_ai.request.top_p", "gen_ai.request.seed", "gen_ai.request.presence_penalty", "gen_ai.request.frequency_penalty", "gen_ai.request.stop_sequences", "gen_ai.response.id" })
        {
            Assert.Null(span.GetTagItem(name));
        }

        Assert.Equal(3, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(["length"], Assert.IsType<string[]>(span.GetTagItem("gen_ai.response.finish_reasons")));
    }

    [Fact]
    public async Task A_request_cancelled_before_it_runs_ends_its_span_with_an_error_status_and_type()
    {
        using var engine = EngineTestHelpers.Engine(TestModels.Models.Base);
        using var gate = new ManualResetEventSlim(false);
        engine.BeforeStep = gate.Wait;
        using var parent = SpanCollector.Parent("caller");
        using var cancellation = new CancellationTokenSource();

        await using var reader = engine.GenerateAsync(new GenerationRequest(EngineTestHelpers.Prompt(5, 3)) { Sampling = new SamplingOptions { MaxTokens = 20 } }, cancellation.Token).GetAsyncEnumerator();
        var first = reader.MoveNextAsync().AsTask(); // submits the request; the held scheduler cannot run it yet
        await cancellation.CancelAsync();
        gate.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        var span = Assert.Single(await _spans.WaitForAsync(parent, 1));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("cancelled", span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(0, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Empty(span.Events);
    }

    [Fact]
    public async Task A_request_the_engine_fails_ends_its_span_with_the_exception_type()
    {
        using var engine = EngineTestHelpers.Engine(TestModels.Models.Base);
        using var gate = new ManualResetEventSlim(false);
        var fail = 1;
        engine.BeforeStep = () =>
        {
            gate.Wait();
            if (Interlocked.Exchange(ref fail, 0) == 1)
            {
                throw new InvalidOperationException("a failing step");
            }
        };
        using var parent = SpanCollector.Parent("caller");

        await using var reader = engine.GenerateAsync(new GenerationRequest(EngineTestHelpers.Prompt(5, 3)) { Sampling = new SamplingOptions { MaxTokens = 20 } }).GetAsyncEnumerator();
        var first = reader.MoveNextAsync().AsTask();
        gate.Set();
        await Assert.ThrowsAsync<InvalidOperationException>(() => first);

        var span = Assert.Single(await _spans.WaitForAsync(parent, 1));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("a failing step", span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_span_under_their_own_callers_activity()
    {
        using var engine = EngineTestHelpers.Engine(TestModels.Models.Base, o => o.ModelName = "shared");
        using var outer = SpanCollector.Parent("test");
        var callers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using var caller = SpanCollector.Parent("caller-" + i);
            var tokens = await engine.CollectAsync(new GenerationRequest(EngineTestHelpers.Prompt(10 + i, 3 + i)) { Sampling = new SamplingOptions { MaxTokens = 2 + i } });
            return (Caller: caller.SpanId, Prompt: 3 + i, Output: tokens.Count);
        })).ToList();
        var results = await Task.WhenAll(callers);

        var spans = _spans.In(outer).Where(s => s.Source.Name == InferenceTelemetry.SourceName).ToList();
        Assert.Equal(4, spans.Count);
        foreach (var (caller, prompt, output) in results)
        {
            var span = Assert.Single(spans, s => s.ParentSpanId == caller);
            Assert.Equal(prompt, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(output, span.GetTagItem("gen_ai.usage.output_tokens"));
        }
    }

    [Fact]
    public async Task The_callers_current_activity_is_unchanged_by_submitting_a_request()
    {
        using var engine = EngineTestHelpers.Engine(TestModels.Models.Base);
        using var parent = SpanCollector.Parent("caller");

        await using var reader = engine.GenerateAsync(new GenerationRequest(EngineTestHelpers.Prompt(6, 3)) { Sampling = new SamplingOptions { MaxTokens = 2 } }).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());

        Assert.Same(parent, Activity.Current);
    }
}
