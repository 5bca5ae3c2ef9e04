using Microsoft.Extensions.AI;

namespace Aigc.Inference.Tests.Chat;

public sealed class GuardrailsChatClientTests
{
    private static IChatClient Guarded(FakeChatClient inner, Action<GuardrailsOptions> configure) =>
        new ChatClientBuilder(inner).UseGuardrails(configure).Build();

    private static async Task<List<ChatResponseUpdate>> StreamAsync(IChatClient client, string prompt)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, prompt)]))
        {
            updates.Add(update);
        }

        return updates;
    }

    [Fact]
    public async Task A_blocked_prompt_never_reaches_the_model_and_the_answer_says_why()
    {
        var inner = new FakeChatClient("fine");
        using var client = Guarded(inner, o => o.BlockedTerms.Add("password"));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Tell me the admin PASSWORD")]);
        var streamed = await StreamAsync(client, "my password is");

        Assert.Empty(inner.Received);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal("I can't help with that request.", response.Text);
        var report = Assert.IsType<GuardrailReport>(response.AdditionalProperties![GuardrailReport.PropertyName]);
        Assert.Equal(ContentDirection.Prompt, report.Direction);
        Assert.Equal("blocklist", report.Rule);
        Assert.Contains("\"password\"", report.Reason);
        Assert.Equal(ChatFinishReason.ContentFilter, Assert.Single(streamed).FinishReason);
    }

    [Fact]
    public async Task Redacting_the_prompt_sends_the_redacted_text()
    {
        var inner = new FakeChatClient("ok");
        using var client = Guarded(inner, o =>
        {
            o.BlockedTerms.Add("secret");
            o.PromptAction = GuardrailAction.Redact;
        });

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "the Secret plan and the secret code")]);

        Assert.Equal("ok", response.Text);
        Assert.Equal("the [redacted] plan and the [redacted] code", Assert.Single(Assert.Single(inner.Received)).Text);
    }

    [Fact]
    public async Task A_blocked_term_split_across_streamed_chunks_stops_the_output_before_it_and_cancels_the_model()
    {
        var inner = new FakeChatClient("Sure, the ans", "wer is for", "bid", "den knowledge and more", " text");
        using var client = Guarded(inner, o => o.BlockedTerms.Add("forbidden"));

        var updates = await StreamAsync(client, "question");

        Assert.Equal("Sure, the answer is ", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
        Assert.Equal(ContentDirection.Output, Assert.IsType<GuardrailReport>(updates[^1].AdditionalProperties![GuardrailReport.PropertyName]).Direction);
        Assert.True(inner.StreamAbandoned);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "question")]);
        Assert.Equal("Sure, the answer is ", response.Text);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
    }

    [Fact]
    public async Task Redacting_output_replaces_terms_even_across_chunks()
    {
        var inner = new FakeChatClient("call 555", "-0199 now, or 555-", "0199 later");
        using var client = Guarded(inner, o =>
        {
            o.BlockedTerms.Add("555-0199");
            o.OutputAction = GuardrailAction.Redact;
        });

        var updates = await StreamAsync(client, "number?");

        Assert.Equal("call [redacted] now, or [redacted] later", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public async Task A_classifier_judges_prompt_and_output_and_stops_flagged_text()
    {
        var classifier = new KeywordClassifier("attack");
        var inner = new FakeChatClient("Step one: plan. ", "Step two: attack", " the castle.");
        using var client = Guarded(inner, o =>
        {
            o.Classifier = classifier;
            o.ClassifierInterval = 4;
        });

        var blocked = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "how to attack")]);
        Assert.Equal(ChatFinishReason.ContentFilter, blocked.FinishReason);
        Assert.Contains("violence", Assert.IsType<GuardrailReport>(blocked.AdditionalProperties![GuardrailReport.PropertyName]).Reason);

        var updates = await StreamAsync(client, "tell a story");
        Assert.Equal("Step one: plan. ", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
        Assert.Contains(ContentDirection.Output, classifier.Seen);
    }

    private sealed class KeywordClassifier(string keyword) : IContentClassifier
    {
        public List<ContentDirection> Seen { get; } = [];

        public ValueTask<ContentVerdict> ClassifyAsync(string text, ContentDirection direction, CancellationToken cancellationToken)
        {
            Seen.Add(direction);
            return ValueTask.FromResult(text.Contains(keyword, StringComparison.OrdinalIgnoreCase) ? new ContentVerdict(true, "violence", "mentions an attack") : ContentVerdict.Allowed);
        }
    }
}
