using System.Text.Json;

namespace Aigc.WebApi.OpenAi;

/// <summary>Writes a response as server-sent events the way OpenAI streams: <c>data: {json}</c> events, then <c>data: [DONE]</c>.</summary>
internal static class ServerSentEvents
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Sets the status and headers of an event stream.</summary>
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Writes one event holding <paramref name="value"/> as JSON and flushes it to the client.</summary>
    public static async Task WriteAsync<T>(HttpResponse response, T value, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Prefix, cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(response.Body, value, OpenAiJson.Options, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(Separator, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the closing <c>data: [DONE]</c> event.</summary>
    public static async Task DoneAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
