using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Monitoring.Tests.OnlineEvaluation;

public sealed class OnlineEvaluationChatClientTests
{
    [Fact]
    public async Task A_sampled_response_goes_to_the_sink_with_the_last_user_prompt_and_the_version_from_a_registry_uri()
    {
        var sink = new RecordingSink(sample: true);
        using var client = new ChatClientBuilder(new AnsweringClient("A soft linen shirt.", "models:/writer/3", "r-1")).UseOnlineEvaluation(sink).Build();

        var response = await client.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Describe a shirt.")]);

        Assert.Equal("A soft linen shirt.", response.Text);
        var (input, context) = Assert.Single(sink.Items);
        Assert.Equal(new EvaluationInput("Describe a shirt.", "A soft linen shirt."), input);
        Assert.Equal(new OnlineEvaluationContext("r-1", "writer", "3"), context);
    }

    [Fact]
    public async Task A_stream_is_offered_once_whole_after_it_ends_and_a_plain_model_id_has_no_version()
    {
        var sink = new RecordingSink(sample: true);
        using var client = new OnlineEvaluationChatClient(new AnsweringClient("one two three", "tiny", "r-2"), sink);

        var updates = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "Count.")]))
        {
            updates.Add(update.Text);
            Assert.Empty(sink.Items);
        }

        Assert.Equal(["one ", "two ", "three"], updates);
        var (input, context) = Assert.Single(sink.Items);
        Assert.Equal("one two three", input.Response);
        Assert.Equal(new OnlineEvaluationContext("r-2", "tiny", null), context);
    }

    [Fact]
    public async Task A_response_the_sink_does_not_sample_is_not_offered()
    {
        var sink = new RecordingSink(sample: false);
        using var client = new OnlineEvaluationChatClient(new AnsweringClient("x", "tiny", "r-3"), sink);

        await client.GetResponseAsync([new(ChatRole.User, "Hi")]);

        Assert.Empty(sink.Items);
    }

    [Fact]
    public void Without_a_sink_registered_the_pipeline_says_what_to_add()
    {
        var builder = new ChatClientBuilder(new AnsweringClient("x", "tiny", "r")).UseOnlineEvaluation();

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build(new ServiceCollection().BuildServiceProvider()));
        Assert.Contains("AddMonitoring()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_statistics_score_repetition_distinct_bigrams_and_lengths_without_a_reference()
    {
        var result = await new ResponseStatisticsEvaluator().EvaluateAsync(new EvaluationInput("Write it", "buy now buy now buy now buy now"));

        Assert.True(result.Succeeded);
        Assert.Equal(8, result.Scores["words"]);
        Assert.Equal(2, result.Scores["prompt_words"]);
        Assert.Equal(2.0 / 7, result.Scores["distinct_2"], 12); // bigrams: 7, distinct: "buy now", "now buy"
        Assert.Equal(1 - (2.0 / 5), result.Scores["repetition"], 12); // 4-grams: 5, distinct: 2
    }

    private sealed class RecordingSink(bool sample) : IOnlineEvaluationSink
    {
        public List<(EvaluationInput Input, OnlineEvaluationContext Context)> Items { get; } = [];

        public bool ShouldSample(string requestId) => sample;

        public bool TryEnqueue(EvaluationInput input, OnlineEvaluationContext context)
        {
            Items.Add((input, context));
            return true;
        }
    }

    private sealed class AnsweringClient(string answer, string modelId, string responseId) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { ModelId = modelId, ResponseId = responseId });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var words = answer.Split(' ');
            for (var i = 0; i < words.Length; i++)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, i < words.Length - 1 ? words[i] + " " : words[i]) { ModelId = modelId, ResponseId = responseId };
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
