using System.Globalization;
using System.Text.Json;
using Aigc.Inference;
using Aigc.WebApi.Serving;
using Microsoft.Extensions.AI;

namespace Aigc.WebApi.OpenAi;

/// <summary>Checks OpenAI requests field by field and maps them onto Microsoft.Extensions.AI and Aigc sampling settings.</summary>
internal static class RequestMapping
{
    /// <summary>OpenAI allows at most four stop sequences.</summary>
    public const int MaxStopSequences = 4;

    /// <summary>Finds the served model a request names and holds its version for the request (dispose the selection at its end).</summary>
    /// <exception cref="OpenAiException">400 when <c>model</c> is missing; 404 (<c>model_not_found</c>) when nothing served has that id.</exception>
    public static async Task<ModelSelection> SelectModelAsync(IServedModels models, string? model, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw OpenAiException.BadField("model", "'model' is required: one of the ids GET /v1/models lists.");
        }

        if (await models.AcquireAsync(model, cancellationToken).ConfigureAwait(false) is { } selection)
        {
            return selection;
        }

        var served = await models.ListAsync(cancellationToken).ConfigureAwait(false);
        throw new OpenAiException(
            StatusCodes.Status404NotFound,
            "model",
            $"The model '{model}' does not exist here. Served ids: {string.Join(", ", served.SelectMany(m => m.Ids))}.",
            code: "model_not_found");
    }

    /// <summary>Checks the sampling fields and returns the ones the request set.</summary>
    /// <exception cref="OpenAiException">A field is out of range; the error names it.</exception>
    public static SamplingFields ReadSampling(SamplingRequest request, int? maxTokens, string maxTokensParam)
    {
        if (request.N is { } n && n != 1)
        {
            throw OpenAiException.BadField("n", $"'n' must be 1 (this host generates one choice per request); got {n}.");
        }

        if (request.Temperature is { } t && !(t >= 0 && t <= 2))
        {
            throw OpenAiException.BadField("temperature", $"'temperature' must be between 0 and 2; got {t.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (request.TopP is { } p && !(p > 0 && p <= 1))
        {
            throw OpenAiException.BadField("top_p", $"'top_p' must be above 0 and at most 1; got {p.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (maxTokens is < 1)
        {
            throw OpenAiException.BadField(maxTokensParam, $"'{maxTokensParam}' must be at least 1; got {maxTokens}.");
        }

        CheckPenalty(request.PresencePenalty, "presence_penalty");
        CheckPenalty(request.FrequencyPenalty, "frequency_penalty");
        return new SamplingFields(
            request.Temperature ?? (request.TopP is not null ? 1f : 0f),
            request.TopP,
            maxTokens,
            ReadStops(request.Stop),
            request.Seed,
            request.PresencePenalty,
            request.FrequencyPenalty);
    }

    /// <summary>Maps chat messages onto Microsoft.Extensions.AI messages.</summary>
    /// <exception cref="OpenAiException">There are no messages, or a message has an unknown role or content that is not text.</exception>
    public static List<ChatMessage> ReadMessages(List<ChatMessageDto>? messages)
    {
        if (messages is not { Count: > 0 })
        {
            throw OpenAiException.BadField("messages", "'messages' is required and must hold at least one message.");
        }

        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw OpenAiException.BadField($"messages[{i}]", $"'messages[{i}]' is null.");
            var role = message.Role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                _ => throw OpenAiException.BadField($"messages[{i}].role", $"'messages[{i}].role' must be system, developer, user or assistant; got '{message.Role ?? "null"}'."),
            };
            result.Add(new ChatMessage(role, ReadContent(message.Content, $"messages[{i}].content")));
        }

        return result;
    }

    /// <summary>Reads a completion prompt: a string, or an array holding one string.</summary>
    /// <exception cref="OpenAiException">The prompt is missing or of another shape.</exception>
    public static string ReadPrompt(JsonElement prompt)
    {
        return prompt.ValueKind switch
        {
            JsonValueKind.String => prompt.GetString()!,
            JsonValueKind.Array when prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String => prompt[0].GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => throw OpenAiException.BadField("prompt", "'prompt' is required: a string."),
            _ => throw OpenAiException.BadField("prompt", "'prompt' must be a string or an array of one string (token arrays and batches are not supported)."),
        };
    }

    /// <summary>Returns the OpenAI name of a finish reason.</summary>
    public static string FinishReason(GenerationFinishReason reason) => reason switch
    {
        GenerationFinishReason.Length => "length",
        GenerationFinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };

    /// <summary>Returns the OpenAI name of a Microsoft.Extensions.AI finish reason.</summary>
    public static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length" : reason == ChatFinishReason.ContentFilter ? "content_filter" : "stop";

    private static void CheckPenalty(float? value, string param)
    {
        if (value is { } v && !(v >= -2 && v <= 2))
        {
            throw OpenAiException.BadField(param, $"'{param}' must be between -2 and 2; got {v.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static List<string> ReadStops(JsonElement stop)
    {
        var stops = new List<string>();
        switch (stop.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                break;
            case JsonValueKind.String:
                stops.Add(stop.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in stop.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw OpenAiException.BadField("stop", "'stop' must be a string or an array of strings.");
                    }

                    stops.Add(item.GetString()!);
                }

                break;
            default:
                throw OpenAiException.BadField("stop", "'stop' must be a string or an array of strings.");
        }

        if (stops.Count > MaxStopSequences || stops.Any(string.IsNullOrEmpty))
        {
            throw OpenAiException.BadField("stop", $"'stop' holds at most {MaxStopSequences} sequences, none empty; got {stops.Count}.");
        }

        return stops;
    }

    private static string ReadContent(JsonElement content, string param)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind == JsonValueKind.Array)
        {
            var text = new System.Text.StringBuilder();
            foreach (var part in content.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                    || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
                {
                    throw OpenAiException.BadField(param, $"'{param}' parts must be {{\"type\":\"text\",\"text\":\"…\"}}: this host takes text only.");
                }

                text.Append(value.GetString());
            }

            return text.ToString();
        }

        throw OpenAiException.BadField(param, $"'{param}' is required: a string or an array of text parts.");
    }
}

/// <summary>The checked sampling fields of a request.</summary>
internal sealed record SamplingFields(float Temperature, float? TopP, int? MaxTokens, IReadOnlyList<string> Stops, long? Seed, float? PresencePenalty, float? FrequencyPenalty)
{
    /// <summary>Returns chat options for the served model's chat client.</summary>
    public ChatOptions ToChatOptions(string? adapter)
    {
        var options = new ChatOptions
        {
            Temperature = Temperature,
            TopP = TopP,
            MaxOutputTokens = MaxTokens,
            StopSequences = [.. Stops],
            Seed = Seed,
            PresencePenalty = PresencePenalty,
            FrequencyPenalty = FrequencyPenalty,
        };
        if (adapter is not null)
        {
            options.AdditionalProperties = new() { ["adapter"] = adapter };
        }

        return options;
    }

    /// <summary>Returns sampling options for the served model's text generator.</summary>
    public SamplingOptions ToSamplingOptions(int defaultMaxTokens) => new()
    {
        Temperature = Temperature,
        TopP = TopP ?? 1f,
        MaxTokens = MaxTokens ?? defaultMaxTokens,
        StopSequences = Stops,
        Seed = Seed,
        PresencePenalty = PresencePenalty ?? 0f,
        FrequencyPenalty = FrequencyPenalty ?? 0f,
    };
}
