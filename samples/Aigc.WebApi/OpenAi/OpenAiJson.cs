using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.WebApi.OpenAi;

/// <summary>JSON settings of the OpenAI-compatible endpoints and the request reader that names the field at fault.</summary>
internal static class OpenAiJson
{
    /// <summary>Gets the serializer options: property names come from the contracts' attributes; numbers must be numbers.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Reads a JSON request body.</summary>
    /// <typeparam name="T">The request type.</typeparam>
    /// <param name="request">The HTTP request.</param>
    /// <returns>The request.</returns>
    /// <exception cref="OpenAiException">The body is not JSON, or a field has the wrong type (the error names it).</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new OpenAiException(StatusCodes.Status400BadRequest, null, $"The body must be JSON (Content-Type: application/json); got '{request.ContentType ?? "none"}'.");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted).ConfigureAwait(false)
                ?? throw new OpenAiException(StatusCodes.Status400BadRequest, null, "The body is 'null'; send a JSON object.");
        }
        catch (JsonException e)
        {
            var param = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            var what = param is null ? "The body is not valid JSON" : $"'{param}' has the wrong type or is not valid JSON";
            throw new OpenAiException(StatusCodes.Status400BadRequest, param, $"{what}: {e.Message}", code: null);
        }
    }
}
