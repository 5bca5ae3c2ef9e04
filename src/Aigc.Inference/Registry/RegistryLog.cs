using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>The registry's log messages.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Listening for alias changes on PostgreSQL channel {Channel} failed; watchers poll every {PollInterval} until it reconnects.")]
    public static partial void ListenFailed(ILogger logger, string channel, TimeSpan pollInterval, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Listening for alias changes on PostgreSQL channel {Channel}.")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The SQLite registry {Path} runs in journal mode {Mode} instead of WAL (the file system may not support WAL); readers may wait for writers.")]
    public static partial void NotWal(ILogger logger, string path, string mode);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Registered {Uri} ({Files} files, {Bytes} bytes, digest {Digest}).")]
    public static partial void Registered(ILogger logger, string uri, int files, long bytes, string? digest);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Alias {Alias} of model {Name} moved from version {Previous} to {Version}.")]
    public static partial void AliasChanged(ILogger logger, string name, string alias, int? previous, int? version);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Stored file {FilePath} of {Uri} ({ArtifactPath}) failed verification: expected SHA-256 {Expected}, found {Actual}.")]
    public static partial void IntegrityFailure(ILogger logger, string filePath, string uri, string artifactPath, string expected, string? actual);
}
