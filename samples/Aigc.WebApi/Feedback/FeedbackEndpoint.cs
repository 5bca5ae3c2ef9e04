using System.Text.Json;
using System.Text.Json.Serialization;
using Aigc.Monitoring;
using Aigc.WebApi.OpenAi;
using Aigc.WebApi.Serving;

namespace Aigc.WebApi.Feedback;

/// <summary>
/// <c>POST /v1/feedback</c>: stores a score in the <see cref="IFeedbackStore"/> against the served model version:
/// 201 when stored, 200 when a record with that id was already there (nothing changed).
/// </summary>
internal static class FeedbackEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, IServedModels models, IFeedbackStore store, TimeProvider time)
    {
        var request = await OpenAiJson.ReadAsync<FeedbackRequest>(context.Request).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > FeedbackRecord.MaxIdLength)
        {
            throw OpenAiException.BadField("id", $"'id' is required (1 to {FeedbackRecord.MaxIdLength} characters): a key of your own, reused on retries.");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw OpenAiException.BadField("name", $"'name' is required, for example '{FeedbackNames.Thumbs}' or '{FeedbackNames.Rating}'.");
        }

        using var selection = await RequestMapping.SelectModelAsync(models, request.Model, context.RequestAborted).ConfigureAwait(false);
        var record = new FeedbackRecord
        {
            Id = request.Id,
            TraceId = request.TraceId,
            ModelName = selection.Id,
            ModelVersion = selection.Model.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name = request.Name,
            Value = ReadValue(request.Value),
            Comment = request.Comment,
            Correction = string.IsNullOrWhiteSpace(request.Correction) ? null : request.Correction,
            Prompt = request.Prompt,
            Response = request.Response,
            CreatedAt = time.GetUtcNow(),
            Source = FeedbackSource.Api,
        };
        var stored = await store.AddAsync(record, context.RequestAborted).ConfigureAwait(false);
        var body = new FeedbackReceipt(record.Id, stored, record.ModelName, record.ModelVersion);
        return Results.Json(body, OpenAiJson.Options, statusCode: stored ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static FeedbackValue ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => FeedbackValue.Boolean(true),
        JsonValueKind.False => FeedbackValue.Boolean(false),
        JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => FeedbackValue.Numeric(number),
        JsonValueKind.String when !string.IsNullOrEmpty(value.GetString()) => FeedbackValue.Categorical(value.GetString()!),
        _ => throw OpenAiException.BadField("value", "'value' is required: a boolean (thumbs), a finite number (rating) or a non-empty category string."),
    };
}

/// <summary>The answer to a feedback request.</summary>
internal sealed record FeedbackReceipt(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("stored")] bool Stored,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("model_version")] string ModelVersion)
{
    /// <summary>Gets the object type.</summary>
    [JsonPropertyName("object")]
    public string Object => "feedback";
}
