using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.TextGeneration;

namespace Aigc.Inference;

/// <summary>
/// Semantic Kernel's <see cref="IChatCompletionService"/> and <see cref="ITextGenerationService"/> over the same
/// model: chat goes through an <see cref="IChatClient"/> (so its middleware, such as guardrails, applies); text
/// generation completes the raw prompt with a <see cref="TextGenerator"/>, with no chat template.
/// </summary>
/// <remarks>
/// <see cref="PromptExecutionSettings.ModelId"/> selects the model or a registered adapter; <c>ExtensionData</c> keys
/// follow OpenAI's names: <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, <c>max_tokens</c>, <c>frequency_penalty</c>,
/// <c>presence_penalty</c>, <c>seed</c>, <c>stop</c> (a string or a list), plus <c>adapter</c>,
/// <c>repetition_penalty</c>, <c>no_repeat_ngram_size</c>, <c>logprobs</c>, <c>top_logprobs</c>, <c>beam_width</c>,
/// <c>length_penalty</c> and <c>early_stopping</c>.
/// </remarks>
public sealed class GenerationKernelService : IChatCompletionService, ITextGenerationService
{
    private readonly IChatClient _chatClient;
    private readonly TextGenerator _generator;
    private readonly string[] _aliases;

    /// <summary>Initializes the service.</summary>
    /// <param name="chatClient">The chat client chat completions go through (usually a <see cref="GenerationChatClient"/> with middleware).</param>
    /// <param name="generator">The text generator raw completions use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> or <paramref name="generator"/> is <see langword="null"/>.</exception>
    public GenerationKernelService(IChatClient chatClient, TextGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(generator);
        _chatClient = chatClient;
        _generator = generator;
        _aliases = [generator.Engine.ModelName];
        Attributes = new Dictionary<string, object?> { ["ModelId"] = generator.Engine.ModelName };
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var response = await _chatClient.GetResponseAsync(ToMessages(chatHistory), ToChatOptions(executionSettings), cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, object?>
        {
            ["Usage"] = response.Usage,
            ["FinishReason"] = response.FinishReason?.Value,
        };
        return [new ChatMessageContent(AuthorRole.Assistant, response.Text, response.ModelId, innerContent: response, metadata: metadata)];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        await foreach (var update in _chatClient.GetStreamingResponseAsync(ToMessages(chatHistory), ToChatOptions(executionSettings), cancellationToken).ConfigureAwait(false))
        {
            var metadata = update.FinishReason is { } finish ? new Dictionary<string, object?> { ["FinishReason"] = finish.Value } : null;
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, update.Text, update, modelId: update.ModelId, metadata: metadata);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Microsoft.SemanticKernel.TextContent>> GetTextContentsAsync(string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        var (sampling, adapter) = ToSampling(prompt, executionSettings);
        var result = await _generator.GenerateAsync(prompt, sampling, adapter, cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, object?>
        {
            ["Usage"] = new UsageDetails { InputTokenCount = result.InputTokenCount, OutputTokenCount = result.OutputTokenCount, TotalTokenCount = result.InputTokenCount + result.OutputTokenCount },
            ["FinishReason"] = GenerationChatClient.ToChatFinishReason(result.FinishReason).Value,
        };
        return [new Microsoft.SemanticKernel.TextContent(result.Text, adapter ?? _generator.Engine.ModelName, innerContent: result, metadata: metadata)];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamingTextContent> GetStreamingTextContentsAsync(string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (sampling, adapter) = ToSampling(prompt, executionSettings);
        await foreach (var update in _generator.GenerateStreamingAsync(prompt, sampling, adapter, cancellationToken).ConfigureAwait(false))
        {
            yield return new StreamingTextContent(update.Text, modelId: adapter ?? _generator.Engine.ModelName, innerContent: update);
        }
    }

    private (SamplingOptions Sampling, string? Adapter) ToSampling(string prompt, PromptExecutionSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return ChatOptionsMapping.Map(ToChatOptions(settings), _generator.Engine, _aliases, [], SamplingOptions.Greedy);
    }

    private static List<ChatMessage> ToMessages(ChatHistory history)
    {
        var messages = new List<ChatMessage>(history.Count);
        foreach (var message in history)
        {
            messages.Add(new ChatMessage(new ChatRole(message.Role.Label), message.Content ?? string.Empty));
        }

        return messages;
    }

    internal static ChatOptions? ToChatOptions(PromptExecutionSettings? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var options = new ChatOptions { ModelId = settings.ModelId };
        foreach (var (key, value) in settings.ExtensionData ?? new Dictionary<string, object>())
        {
            switch (key)
            {
                case "temperature":
                    options.Temperature = Convert<float>(key, value);
                    break;
                case "top_p":
                    options.TopP = Convert<float>(key, value);
                    break;
                case "top_k":
                    options.TopK = Convert<int>(key, value);
                    break;
                case "max_tokens" or "max_output_tokens" or "max_completion_tokens":
                    options.MaxOutputTokens = Convert<int>(key, value);
                    break;
                case "frequency_penalty":
                    options.FrequencyPenalty = Convert<float>(key, value);
                    break;
                case "presence_penalty":
                    options.PresencePenalty = Convert<float>(key, value);
                    break;
                case "seed":
                    options.Seed = Convert<long>(key, value);
                    break;
                case "stop" or "stop_sequences":
                    options.StopSequences = value switch
                    {
                        string one => [one],
                        JsonElement { ValueKind: JsonValueKind.String } one => [one.GetString()!],
                        JsonElement many => many.Deserialize<List<string>>(),
                        IEnumerable<string> many => [.. many],
                        _ => throw new ArgumentException($"Execution setting '{key}' must be a string or a list of strings.", nameof(settings)),
                    };
                    break;
                default:
                    (options.AdditionalProperties ??= [])[key] = value;
                    break;
            }
        }

        return options;
    }

    private static T Convert<T>(string key, object value)
    {
        try
        {
            return value switch
            {
                T typed => typed,
                JsonElement json => json.Deserialize<T>()!,
                IConvertible convertible => (T)convertible.ToType(typeof(T), CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException(),
            };
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or JsonException)
        {
            throw new ArgumentException($"Execution setting '{key}' must be a {typeof(T).Name}; got '{value}'.", "executionSettings", e);
        }
    }
}
