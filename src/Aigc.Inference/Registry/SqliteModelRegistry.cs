using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Inference;

/// <summary>
/// The model registry in one SQLite file (the embedded default: zero set-up, the schema is created on first use),
/// with the model files kept by SHA-256 under an artifact folder.
/// </summary>
/// <remarks>
/// The database runs in WAL mode, so readers never wait for a writer; every write is one <c>BEGIN IMMEDIATE</c>
/// transaction that waits up to <see cref="ModelRegistryOptions.BusyTimeout"/> for another writer, so threads and
/// processes sharing the file register concurrently without losing a version. Alias watchers in this process are
/// woken at once; watchers in other processes see a change within <see cref="ModelRegistryOptions.AliasPollInterval"/>.
/// Use <see cref="PostgresModelRegistry"/> when several hosts share a registry.
/// </remarks>
public sealed class SqliteModelRegistry : IModelRegistry, IAsyncDisposable, IDisposable
{
    private readonly SqlModelRegistry _core;

    /// <summary>Initializes a registry on a SQLite file (created with its folder when missing).</summary>
    /// <param name="databasePath">The database file, for example <c>.aigc/registry/registry.db</c>.</param>
    /// <param name="artifactsDirectory">The folder the model files are kept in.</param>
    /// <param name="options">The poll interval and busy timeout; the defaults when <see langword="null"/>. Paths and the connection string in it are not used here.</param>
    /// <param name="timeProvider">The clock for registration times and polling; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">A path is empty, or <paramref name="options"/> are not valid.</exception>
    public SqliteModelRegistry(string databasePath, string artifactsDirectory, ModelRegistryOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentException.ThrowIfNullOrEmpty(artifactsDirectory);
        options ??= new ModelRegistryOptions();
        options.ThrowIfInvalid(nameof(options));
        logger ??= NullLogger.Instance;
        var dialect = new SqliteRegistryDialect(databasePath, options.BusyTimeout, logger);
        DatabasePath = dialect.DatabasePath;
        _core = new SqlModelRegistry(dialect, artifactsDirectory, options.AliasPollInterval, timeProvider ?? TimeProvider.System, logger);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

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
