using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Aigc.Inference;

/// <summary>Maps Microsoft.Extensions.AI <see cref="ChatOptions"/> onto <see cref="SamplingOptions"/> and an adapter.</summary>
internal static class ChatOptionsMapping
{
    public const string Adapter = "adapter";
    public const string RepetitionPenalty = "repetition_penalty";
    public const string NoRepeatNGramSize = "no_repeat_ngram_size";
    public const string LogProbabilities = "logprobs";
    public const string TopLogProbabilities = "top_logprobs";
    public const string BeamWidth = "beam_width";
    public const string LengthPenalty = "length_penalty";
    public const string EarlyStopping = "early_stopping";

    /// <summary>The response property holding the registered version that produced it, <c>models:/name/3</c>.</summary>
    public const string ModelVersion = "model_version";

    /// <summary>The chat option that keeps a caller on one canary route (a user or session id).</summary>
    public const string RoutingKey = "routing_key";

    public static (SamplingOptions Sampling, string? Adapter) Map(ChatOptions? options, GenerationEngine engine, IReadOnlyCollection<string> modelAliases, IReadOnlyList<string> templateStops, SamplingOptions defaults)
    {
        var adapter = ResolveAdapter(options, engine, modelAliases);
        if (options is null)
        {
            return (defaults with { StopSequences = [.. defaults.StopSequences, .. templateStops] }, adapter);
        }

        var props = options.AdditionalProperties;
        var sampling = defaults;
        var temperature = options.Temperature ?? (options.TopP is not null || options.TopK is not null ? 1f : defaults.Temperature);
        sampling = sampling with
        {
            Temperature = temperature,
            TopP = options.TopP ?? defaults.TopP,
            TopK = options.TopK ?? defaults.TopK,
            MaxTokens = options.MaxOutputTokens ?? defaults.MaxTokens,
            FrequencyPenalty = options.FrequencyPenalty ?? defaults.FrequencyPenalty,
            PresencePenalty = options.PresencePenalty ?? defaults.PresencePenalty,
            Seed = options.Seed ?? defaults.Seed,
            StopSequences = [.. defaults.StopSequences, .. options.StopSequences ?? [], .. templateStops],
            RepetitionPenalty = Get(props, RepetitionPenalty, defaults.RepetitionPenalty),
            NoRepeatNGramSize = Get(props, NoRepeatNGramSize, defaults.NoRepeatNGramSize),
            LogProbabilities = Get(props, LogProbabilities, defaults.LogProbabilities),
            TopLogProbabilities = Get(props, TopLogProbabilities, defaults.TopLogProbabilities),
        };
        if (Get(props, BeamWidth, 0) is var width and > 1)
        {
            sampling = sampling with
            {
                BeamSearch = new BeamSearchOptions
                {
                    BeamWidth = width,
                    LengthPenalty = Get(props, LengthPenalty, 1.0),
                    EarlyStopping = Get(props, EarlyStopping, true),
                },
            };
        }

        return (sampling, adapter);
    }

    private static string? ResolveAdapter(ChatOptions? options, GenerationEngine engine, IReadOnlyCollection<string> modelAliases)
    {
        if (options?.AdditionalProperties?.TryGetValue(Adapter, out var value) == true && value is not null)
        {
            return Convert.ToString(value is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString() : value, CultureInfo.InvariantCulture);
        }

        var modelId = options?.ModelId;
        if (string.IsNullOrEmpty(modelId) || modelAliases.Contains(modelId))
        {
            return null;
        }

        if (engine.HasAdapter(modelId))
        {
            return modelId;
        }

        throw new ArgumentException(
            $"ModelId '{modelId}' names neither this model ({string.Join(", ", modelAliases)}) nor a registered adapter ({(engine.RegisteredAdapters.Count == 0 ? "none" : string.Join(", ", engine.RegisteredAdapters))}).",
            nameof(options));
    }

    private static T Get<T>(AdditionalPropertiesDictionary? props, string key, T fallback)
    {
        if (props is null || !props.TryGetValue(key, out var value) || value is null)
        {
            return fallback;
        }

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
            throw new ArgumentException($"Chat option '{key}' must be a {typeof(T).Name}; got '{value}'.", "options", e);
        }
    }
}
