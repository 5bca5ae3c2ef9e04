using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>The log messages of model routers.</summary>
internal static partial class RouterLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Route {Route} now serves {Version} (was {Previous}); loaded and warmed up in {LoadMs:F0} ms.")]
    public static partial void Switched(ILogger logger, string route, string version, string? previous, double loadMs);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Route {Route} could not load {Version}; it keeps serving {Serving}. Next try at {NextRetry:O} unless the alias moves again.")]
    public static partial void LoadFailed(ILogger logger, string route, string version, string serving, DateTimeOffset nextRetry, Exception exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Unloaded {Version}: no route uses it and its last request finished.")]
    public static partial void Unloaded(ILogger logger, string version);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Alias {Route} was removed; the route keeps serving {Serving}.")]
    public static partial void AliasRemoved(ILogger logger, string route, string serving);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Watching the aliases of model {Model} failed; retrying in {Delay}. The loaded versions keep serving.")]
    public static partial void WatchFailed(ILogger logger, string model, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 35, Level = LogLevel.Debug, Message = "A request mirrored to shadow {Version} failed; its answer would have been discarded anyway.")]
    public static partial void ShadowFailed(ILogger logger, string version, Exception exception);

    [LoggerMessage(EventId = 36, Level = LogLevel.Error, Message = "A handler of the router's Changed event for model {Model} threw; the router goes on.")]
    public static partial void HandlerFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 37, Level = LogLevel.Error, Message = "Unloading {Version} failed.")]
    public static partial void UnloadFailed(ILogger logger, string version, Exception exception);
}
