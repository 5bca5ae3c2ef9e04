using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Aigc.Data.Tests.Augmentation;

/// <summary>A hand-written chat client: answers with a function of the prompt and records every call.</summary>
internal sealed class FakeChatClient(Func<string, ChatOptions, string> respond) : IChatClient
{
    private int _active;
    private int _maxActive;

    public ConcurrentQueue<(string Prompt, ChatOptions Options)> Calls { get; } = new();

    public int MaxActive => Volatile.Read(ref _maxActive);

    public string? DefaultModelId { get; init; } = "fake-model-1";

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last().Text;
        var active = Interlocked.Increment(ref _active);
        int observed;
        while ((observed = Volatile.Read(ref _maxActive)) < active && Interlocked.CompareExchange(ref _maxActive, active, observed) != observed)
        {
        }

        try
        {
            Calls.Enqueue((prompt, options!));

            // Vary completion order: later prompts may finish first.
            await Task.Delay(prompt.Length % 4, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, respond(prompt, options!)));
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fake", null, DefaultModelId) : null;

    public void Dispose()
    {
    }
}
