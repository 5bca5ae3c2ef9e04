using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Aigc.Inference;

/// <summary>
/// An <see cref="IChatClient"/> over a <see cref="TextGenerator"/>: messages are rendered with its chat template, the
/// request joins the engine's continuous batch, and the answer streams back as text.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ChatOptions"/> map onto <see cref="SamplingOptions"/>: <c>Temperature</c> (when unset, greedy decoding
/// unless <c>TopP</c> or <c>TopK</c> is set, then 1), <c>TopP</c>, <c>TopK</c>, <c>MaxOutputTokens</c>,
/// <c>FrequencyPenalty</c>, <c>PresencePenalty</c>, <c>Seed</c> and <c>StopSequences</c> (the template's end-of-turn
/// text is always a stop). <c>ModelId</c> selects the model (its name or an alias) or, when it names a registered
/// adapter, that LoRA adapter. <c>AdditionalProperties</c> carry the rest: <c>adapter</c>, <c>repetition_penalty</c>,
/// <c>no_repeat_ngram_size</c>, <c>logprobs</c>, <c>top_logprobs</c>, <c>beam_width</c>, <c>length_penalty</c> and
/// <c>early_stopping</c>.
/// </para>
/// <para>
/// Responses report usage (input, output and total tokens) and the finish reason; with <c>logprobs</c> the
/// generated tokens and their log-probabilities are in the response's <c>AdditionalProperties["logprobs"]</c>.
/// </para>
/// <para>
/// When the generator was loaded from a registry (<see cref="TextGenerator.ModelVersion"/>), every response and update
/// says which version produced it: <c>ModelId</c> is <c>models:/name/3</c> (the adapter's name when one was used) and
/// <c>AdditionalProperties["model_version"]</c> is <c>models:/name/3</c>.
/// </para>
/// </remarks>
public sealed class GenerationChatClient : IChatClient
{
    private readonly TextGenerator _generator;
    private readonly string[] _aliases;
    private readonly SamplingOptions _defaults;

    /// <summary>Initializes a chat client.</summary>
    /// <param name="generator">The text generator.</param>
    /// <param name="modelAliases">Other names <c>ChatOptions.ModelId</c> may give for the base model (its name always works).</param>
    /// <param name="defaults">Sampling settings where the chat options give none, or <see langword="null"/> for greedy decoding of at most 256 tokens.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    public GenerationChatClient(TextGenerator generator, IEnumerable<string>? modelAliases = null, SamplingOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _aliases = [generator.Engine.ModelName, .. modelAliases ?? []];
        _defaults = defaults ?? SamplingOptions.Greedy;
        Metadata = new ChatClientMetadata(GenerationMetricNames.ProviderName, providerUri: null, defaultModelId: generator.Engine.ModelName);
    }

    /// <summary>Gets the client's metadata (provider <c>aigc</c>, the model's name).</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (updates, model, responseId) = Start(messages, options, cancellationToken);
        var result = await TextGenerator.CollectAsync(updates).ConfigureAwait(false);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text) { MessageId = NewId() })
        {
            ModelId = model,
            AdditionalProperties = VersionProperties(),
            ResponseId = responseId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = ToChatFinishReason(result.FinishReason),
            Usage = Usage(result.InputTokenCount, result.OutputTokenCount),
        };
        if (result.Tokens.Count > 0 && !float.IsNaN(result.Tokens[0].LogProbability))
        {
            (response.AdditionalProperties ??= [])[ChatOptionsMapping.LogProbabilities] = result.Tokens;
        }

        return response;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (updates, model, responseId) = Start(messages, options, cancellationToken);
        return StreamAsync(updates, model, responseId, VersionProperties(), cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType == typeof(TextGenerator) ? _generator
            : serviceType == typeof(GenerationEngine) ? _generator.Engine
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The engine belongs to whoever created it (usually the DI container).
    }

    internal static ChatFinishReason ToChatFinishReason(GenerationFinishReason reason) => reason switch
    {
        GenerationFinishReason.Length => ChatFinishReason.Length,
        GenerationFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        _ => ChatFinishReason.Stop,
    };

    /// <summary>Starts the generation; the response id is the one the request's span records as <c>gen_ai.response.id</c>.</summary>
    private (IAsyncEnumerable<TextGenerationUpdate> Updates, string Model, string ResponseId) Start(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (sampling, adapter) = ChatOptionsMapping.Map(options, _generator.Engine, _aliases, _generator.Template.StopSequences, _defaults);
        var prompt = _generator.RenderPrompt(messages);
        var responseId = NewId();
        var updates = _generator.Stream(prompt, sampling, adapter, GenerationMetricNames.ChatOperation, cancellationToken, responseId);
        return (updates, adapter ?? _generator.ModelVersion?.ToString() ?? _generator.Engine.ModelName, responseId);
    }

    private AdditionalPropertiesDictionary? VersionProperties() =>
        _generator.ModelVersion is { } version ? new() { [ChatOptionsMapping.ModelVersion] = version.ToString() } : null;

    private static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IAsyncEnumerable<TextGenerationUpdate> updates, string model, string responseId, AdditionalPropertiesDictionary? versionProperties, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var messageId = NewId();
        var created = DateTimeOffset.UtcNow;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var chatUpdate = new ChatResponseUpdate(ChatRole.Assistant, update.Text)
            {
                ModelId = model,
                AdditionalProperties = versionProperties,
                ResponseId = responseId,
                MessageId = messageId,
                CreatedAt = created,
            };
            if (update.FinishReason is { } finish)
            {
                chatUpdate.FinishReason = ToChatFinishReason(finish);
                chatUpdate.Contents.Add(new UsageContent(Usage(update.InputTokenCount, update.OutputTokenCount)));
            }

            yield return chatUpdate;
        }
    }

    private static UsageDetails Usage(int input, int output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };

    private static string NewId() => Guid.NewGuid().ToString("N");
}
