using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Inference;

/// <summary>
/// The model registry in PostgreSQL (Npgsql), for several hosts sharing one registry and one artifact folder; the
/// schema (<see cref="ModelRegistryOptions.Schema"/>) and its tables are created on first use.
/// </summary>
/// <remarks>
/// Concurrent registrations of one model are serialized on the model's row, so each gets its own version number.
/// Alias changes are announced with <c>NOTIFY</c> on the channel <c>&lt;schema&gt;_alias_changes</c>; each registry that
/// watches aliases keeps one connection that <c>LISTEN</c>s on it, so other hosts see a change within moments. When
/// that connection drops, watchers fall back to polling every <see cref="ModelRegistryOptions.AliasPollInterval"/> while
/// it reconnects, and no change is lost: watchers read the change log, notifications only wake them.
/// </remarks>
public sealed class PostgresModelRegistry : IModelRegistry, IAsyncDisposable, IDisposable
{
    private readonly SqlModelRegistry _core;

    /// <summary>Initializes a registry on a PostgreSQL database (nothing connects until the first call).</summary>
    /// <param name="connectionString">The Npgsql connection string, for example <c>Host=db;Username=aigc;Password=…;Database=aigc</c>.</param>
    /// <param name="artifactsDirectory">The folder the model files are kept in, shared by every host that uses the registry.</param>
    /// <param name="options">The schema, poll interval and busy timeout; the defaults when <see langword="null"/>. Paths and the connection string in it are not used here.</param>
    /// <param name="timeProvider">The clock for registration times and polling; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">The connection string or folder is empty or malformed, or <paramref name="options"/> are not valid.</exception>
    public PostgresModelRegistry(string connectionString, string artifactsDirectory, ModelRegistryOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(artifactsDirectory);
        options ??= new ModelRegistryOptions();
        options.ThrowIfInvalid(nameof(options));
        logger ??= NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        var dialect = new PostgresRegistryDialect(connectionString, options.Schema, options.AliasPollInterval, time, logger);
        Schema = dialect.Schema;
        NotificationChannel = dialect.Channel;
        _core = new SqlModelRegistry(dialect, artifactsDirectory, options.AliasPollInterval, time, logger);
    }

    /// <summary>Gets the PostgreSQL schema holding the registry's tables.</summary>
    public string Schema { get; }

    /// <summary>Gets the channel alias changes are announced on with <c>NOTIFY</c>.</summary>
    public string NotificationChannel { get; }

    /// <summary>Gets the full path of the folder the model files are kept in.</summary>
    public string ArtifactsDirectory => _core.ArtifactsDirectory;

    /// <inheritdoc />
    public Task<RegisteredModel> CreateModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        _core.CreateModelAsync(name, description, tags, cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredModel?> GetModelAsync(string name, CancellationToken cancellationToken = default) =>
        _core.GetModelAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredModel> UpdateModelAsync(string name, ModelMetadataUpdate update, CancellationToken cancellationToken = default) =>
        _core.UpdateModelAsync(name, update, cancellationToken);

    /// <inheritdoc />
    public Task<ModelPage<RegisteredModel>> ListModelsAsync(ModelQuery? query = null, CancellationToken cancellationToken = default) =>
        _core.ListModelsAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> RegisterVersionAsync(ModelVersionRegistration registration, CancellationToken cancellationToken = default) =>
        _core.RegisterVersionAsync(registration, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> BeginVersionAsync(ModelVersionRegistration registration, CancellationToken cancellationToken = default) =>
        _core.BeginVersionAsync(registration, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> CompleteVersionAsync(string name, int version, IReadOnlyList<ModelArtifactSource> files, IReadOnlyDictionary<string, double>? metrics = null, CancellationToken cancellationToken = default) =>
        _core.CompleteVersionAsync(name, version, files, metrics, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> FailVersionAsync(string name, int version, string reason, CancellationToken cancellationToken = default) =>
        _core.FailVersionAsync(name, version, reason, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion?> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        _core.GetVersionAsync(name, version, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken = default) =>
        _core.ResolveAsync(uri, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> UpdateVersionAsync(string name, int version, ModelMetadataUpdate update, CancellationToken cancellationToken = default) =>
        _core.UpdateVersionAsync(name, version, update, cancellationToken);

    /// <inheritdoc />
    public Task<ModelPage<ModelVersion>> SearchVersionsAsync(ModelVersionQuery? query = null, CancellationToken cancellationToken = default) =>
        _core.SearchVersionsAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<ModelAliasChange> SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default) =>
        _core.SetAliasAsync(name, alias, version, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        _core.DeleteAliasAsync(name, alias, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ModelAliasChange> WatchAliasesAsync(string? name = null, CancellationToken cancellationToken = default) =>
        _core.WatchAliasesAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Stream> OpenArtifactAsync(string name, int version, string path, CancellationToken cancellationToken = default) =>
        _core.OpenArtifactAsync(name, version, path, cancellationToken);

    /// <inheritdoc />
    public Task<string> GetArtifactPathAsync(string name, int version, string path, CancellationToken cancellationToken = default) =>
        _core.GetArtifactPathAsync(name, version, path, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ExportArtifactsAsync(string name, int version, string destinationDirectory, CancellationToken cancellationToken = default) =>
        _core.ExportArtifactsAsync(name, version, destinationDirectory, cancellationToken);

    /// <summary>Stops any alias listener and releases the database connections.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public ValueTask DisposeAsync() => _core.DisposeAsync();

    /// <summary>Stops any alias listener and releases the database connections.</summary>
    public void Dispose() => _core.Dispose();
}
