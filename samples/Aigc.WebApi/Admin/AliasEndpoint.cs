using System.Text.Json.Serialization;
using Aigc.WebApi.OpenAi;

namespace Aigc.WebApi.Admin;

/// <summary>
/// <c>POST /admin/models/{name}/alias</c> with <c>{"alias":"champion","version":2}</c>: moves an alias in the model
/// registry and answers with the change (the version it pointed to before, if any). Behind <see cref="AdminApiKeyFilter"/>.
/// </summary>
internal static class AliasEndpoint
{
    public static async Task<IResult> HandleAsync(string name, HttpContext context, IModelRegistry registry)
    {
        var request = await OpenAiJson.ReadAsync<AliasRequest>(context.Request).ConfigureAwait(false);
        if (!ModelUri.IsValidName(name))
        {
            throw OpenAiException.BadField("name", $"'{name}' is not a valid model name.");
        }

        if (!ModelUri.IsValidAlias(request.Alias))
        {
            throw OpenAiException.BadField("alias", $"'alias' is required and must be a valid alias name (letters, digits, '-' and '_'); got '{request.Alias ?? "null"}'.");
        }

        if (request.Version is not ({ } version and >= 1))
        {
            throw OpenAiException.BadField("version", "'version' is required: the number of a ready version of the model (1 or more).");
        }

        try
        {
            var change = await registry.SetAliasAsync(name, request.Alias, version, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new AliasMoved(change.Name, change.Alias, change.Version, change.PreviousVersion, change.ChangedAt), OpenAiJson.Options);
        }
        catch (ModelNotFoundException e)
        {
            throw new OpenAiException(StatusCodes.Status404NotFound, "version", e.Message, "model_not_found");
        }
        catch (ModelRegistryException e)
        {
            throw new OpenAiException(StatusCodes.Status409Conflict, "version", e.Message, "version_not_ready");
        }
    }
}

/// <summary>The body of an alias move.</summary>
internal sealed class AliasRequest
{
    /// <summary>Gets or sets the alias to move (<c>champion</c>, <c>challenger</c>, any valid name).</summary>
    [JsonPropertyName("alias")]
    public string? Alias { get; set; }

    /// <summary>Gets or sets the version the alias should point to.</summary>
    [JsonPropertyName("version")]
    public int? Version { get; set; }
}

/// <summary>The answer to an alias move.</summary>
internal sealed record AliasMoved(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("alias")] string Alias,
    [property: JsonPropertyName("version")] int? Version,
    [property: JsonPropertyName("previous_version")] int? PreviousVersion,
    [property: JsonPropertyName("changed_at")] DateTimeOffset ChangedAt);
