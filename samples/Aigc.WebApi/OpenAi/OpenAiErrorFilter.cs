using Aigc.Inference;

namespace Aigc.WebApi.OpenAi;

/// <summary>
/// Turns the errors of the OpenAI-compatible endpoints into OpenAI's error body: 400 with the field at fault for bad
/// requests, 404 for unknown models. Once a stream has started, the error goes out as a last <c>data:</c> event.
/// </summary>
internal sealed partial class OpenAiErrorFilter(ILogger<OpenAiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToOpenAi(e, context.HttpContext.Request.Path) is { } error)
        {
            var http = context.HttpContext;
            LogRefused(logger, http.Request.Path, error.StatusCode, error.Param, error.Message);
            if (!http.Response.HasStarted)
            {
                return Results.Json(error.ToError(), OpenAiJson.Options, statusCode: error.StatusCode);
            }

            await ServerSentEvents.WriteAsync(http.Response, error.ToError(), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
    }

    private static OpenAiException? ToOpenAi(Exception e, PathString path) => e switch
    {
        OpenAiException openAi => openAi,
        ContextWindowExceededException window => new OpenAiException(StatusCodes.Status400BadRequest, path.Value?.Contains("/chat/", StringComparison.Ordinal) == true ? "messages" : "prompt", window.Message, "context_length_exceeded"),
        InferenceRejectedException rejected => new OpenAiException(StatusCodes.Status429TooManyRequests, null, rejected.Message, "rate_limit_exceeded", "server_busy"),
        ArgumentException argument => new OpenAiException(StatusCodes.Status400BadRequest, null, argument.Message),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Path} with {Status} (param {Param}): {Message}")]
    private static partial void LogRefused(ILogger logger, string path, int status, string? param, string message);
}
