using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Aigc.Monitoring;

/// <summary>
/// A chat-client middleware that hands a sampled share of live responses to online evaluation
/// (<see cref="IOnlineEvaluationSink"/>): after a response is complete — or a stream has ended — it offers the
/// prompt (the last user message) and the answer to the sink, which samples by the response id and queues without
/// blocking (a full queue drops and counts). The caller's response is returned unchanged; evaluation happens off the
/// hot path, in the background service of <c>AddOnlineEvaluation</c>.
/// </summary>
/// <remarks>
/// The model is identified from <see cref="ChatResponse.ModelId"/>: a registry URI (<c>models:/writer/3</c>) gives
/// name and version, anything else is taken as the model name with no version.
/// </remarks>
public sealed class OnlineEvaluationChatClient : DelegatingChatClient
{
    private readonly IOnlineEvaluationSink _sink;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that produces the responses.</param>
    /// <param name="sink">Where sampled responses go.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public OnlineEvaluationChatClient(IChatClient innerClient, IOnlineEvaluationSink sink)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        Offer(list, response.Text, response.ResponseId, response.ModelId ?? options?.ModelId);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var text = new StringBuilder();
        string? responseId = null;
        string? modelId = null;
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            responseId ??= update.ResponseId;
            modelId ??= update.ModelId;
            yield return update;
        }

        Offer(list, text.ToString(), responseId, modelId ?? options?.ModelId);
    }

    private void Offer(IReadOnlyList<ChatMessage> messages, string answer, string? responseId, string? modelId)
    {
        var requestId = string.IsNullOrEmpty(responseId) ? Guid.NewGuid().ToString("N") : responseId;
        if (!_sink.ShouldSample(requestId))
        {
            return;
        }

        var prompt = messages.LastOrDefault(static m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var (name, version) = Identify(modelId ?? (GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId);
        _sink.TryEnqueue(new EvaluationInput(prompt, answer), new OnlineEvaluationContext(requestId, name, version));
    }

    private static (string Name, string? Version) Identify(string? modelId)
    {
        if (ModelUri.TryParse(modelId, out var uri))
        {
            return (uri.Name, uri.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? uri.Alias);
        }

        return (string.IsNullOrEmpty(modelId) ? "unknown" : modelId, null);
    }
}
