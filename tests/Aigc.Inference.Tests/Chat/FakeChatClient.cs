using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Aigc.Inference.Tests.Chat;

/// <summary>Answers with fixed chunks and records what it was sent.</summary>
internal sealed class FakeChatClient(params string[] chunks) : IChatClient
{
    public List<List<ChatMessage>> Received { get; } = [];

    public bool StreamAbandoned { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Received.Add(messages.ToList());
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(chunks))) { FinishReason = ChatFinishReason.Stop });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Received.Add(messages.ToList());
        var completed = false;
        try
        {
            for (var i = 0; i < chunks.Length; i++)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunks[i]) { FinishReason = i == chunks.Length - 1 ? ChatFinishReason.Stop : null };
            }

            completed = true;
        }
        finally
        {
            StreamAbandoned = !completed;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
