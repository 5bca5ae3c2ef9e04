using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Aigc.Inference;

/// <summary>
/// An <see cref="IChatClient"/> over a <see cref="ModelRouter{TModel}"/> of <see cref="TextGenerator"/>s: each request
/// leases the version its route serves now (alias moves never interrupt it), runs as <see cref="GenerationChatClient"/>
/// does, and reports the version in <c>ModelId</c> and <c>AdditionalProperties["model_version"]</c>
/// (<c>models:/name/3</c>). Non-streaming requests are mirrored to the router's shadow, if any.
/// </summary>
/// <remarks>
/// The routing key that keeps a caller on one canary route is <c>ChatOptions.AdditionalProperties["routing_key"]</c>
/// when set, otherwise <c>ChatOptions.ConversationId</c>; without either, routes are picked at random by weight.
/// </remarks>
public sealed class RoutedChatClient : IChatClient
{
    private readonly ModelRouter<TextGenerator> _router;
    private readonly string[] _aliases;
    private readonly SamplingOptions? _defaults;
    private readonly ConditionalWeakTable<TextGenerator, GenerationChatClient> _clients = [];
    private readonly ConditionalWeakTable<TextGenerator, GenerationChatClient>.CreateValueCallback _create;

    /// <summary>Initializes a chat client.</summary>
    /// <param name="router">The router that serves the model's versions.</param>
    /// <param name="modelAliases">Other names <c>ChatOptions.ModelId</c> may give for the model (its registered name always works).</param>
    /// <param name="defaults">Sampling settings where the chat options give none, or <see langword="null"/> for greedy decoding of at most 256 tokens.</param>
    /// <exception cref="ArgumentNullException"><paramref name="router"/> is <see langword="null"/>.</exception>
    public RoutedChatClient(ModelRouter<TextGenerator> router, IEnumerable<string>? modelAliases = null, SamplingOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(router);
        _router = router;
        _aliases = [router.ModelName, .. modelAliases ?? []];
        _defaults = defaults;
        _create = generator => new GenerationChatClient(generator, _aliases, _defaults);
        Metadata = new ChatClientMetadata(GenerationMetricNames.ProviderName, providerUri: null, defaultModelId: router.ModelName);
    }

    /// <summary>Gets the client's metadata (provider <c>aigc</c>, the registered model's name).</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = (Messages: messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), Options: options, Client: this);
        var routed = await _router.RunAsync(
            request,
            static async (generator, r, ct) => await r.Client.ClientFor(generator).GetResponseAsync(r.Messages, r.Options, ct).ConfigureAwait(false),
            RoutingKey(options),
            cancellationToken).ConfigureAwait(false);
        return routed.Value;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var lease = await _router.AcquireAsync(RoutingKey(options), cancellationToken).ConfigureAwait(false);
        await foreach (var update in ClientFor(lease.Model).GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType == typeof(ModelRouter<TextGenerator>) ? _router
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The router belongs to whoever created it (usually the DI container).
    }

    private static string? RoutingKey(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(ChatOptionsMapping.RoutingKey, out var key) == true && key is string text ? text : options?.ConversationId;

    private GenerationChatClient ClientFor(TextGenerator generator) => _clients.GetValue(generator, _create);
}
