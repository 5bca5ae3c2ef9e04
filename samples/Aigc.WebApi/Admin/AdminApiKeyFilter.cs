using System.Security.Cryptography;
using System.Text;
using Aigc.WebApi.OpenAi;
using Microsoft.Extensions.Options;

namespace Aigc.WebApi.Admin;

/// <summary>
/// Lets an admin request through only with the key of <see cref="WebHostOptions.AdminApiKey"/> in the <c>X-Api-Key</c>
/// header or as <c>Authorization: Bearer …</c> (compared in constant time); otherwise 401. With no key configured,
/// every admin request gets 401.
/// </summary>
internal sealed class AdminApiKeyFilter(IOptionsMonitor<WebHostOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.CurrentValue.AdminApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return Unauthorized(context, "The admin endpoints are disabled: no admin key is configured (set WebApi:AdminApiKey).");
        }

        var given = ReadKey(context.HttpContext.Request);
        if (given is null)
        {
            return Unauthorized(context, $"An admin key is required: send it in the {HeaderName} header or as 'Authorization: Bearer <key>'.");
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? next(context)
            : Unauthorized(context, "The admin key is not valid.");
    }

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var key) && !string.IsNullOrEmpty(key.ToString()))
        {
            return key.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private static ValueTask<object?> Unauthorized(EndpointFilterInvocationContext context, string message)
    {
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        var error = new OpenAiError(new OpenAiErrorDetail(message, "authentication_error", null, "invalid_api_key"));
        return ValueTask.FromResult<object?>(Results.Json(error, OpenAiJson.Options, statusCode: StatusCodes.Status401Unauthorized));
    }
}
