using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>
/// The model registry over a SQL database (<see cref="RegistryDialect"/> says which) and a content-addressed artifact
/// root. The public <see cref="SqliteModelRegistry"/> and <see cref="PostgresModelRegistry"/> delegate to it.
/// </summary>
internal sealed partial class SqlModelRegistry : IModelRegistry, IAsyncDisposable, IDisposable
{
    private const int AliasEventBatch = 256;

    private readonly RegistryDialect _dialect;
    private readonly ContentAddressedStore _store;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private int _disposed;

    public SqlModelRegistry(RegistryDialect dialect, string artifactsDirectory, TimeSpan pollInterval, TimeProvider timeProvider, ILogger logger)
    {
        _dialect = dialect;
        _store = new ContentAddressedStore(artifactsDirectory);
        _pollInterval = pollInterval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string ArtifactsDirectory => _store.Root;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _dialect.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _dialect.Dispose();
        _schemaGate.Dispose();
    }

    /// <summary>Opens a connection, creating the schema on first use.</summary>
    private async ValueTask<DbConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await _dialect.CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                var text = (string?)await RegistryDb.ScalarAsync(connection, null, "SELECT value FROM registry_info WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false);
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version > RegistrySchema.Version)
                {
                    throw new ModelRegistryException(
                        $"The {_dialect.Description} has schema version '{text}', which this version of Aigc.Inference (schema {RegistrySchema.Version}) cannot use: upgrade Aigc.Inference.");
                }
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static async Task UpsertTagsAsync(DbConnection connection, DbTransaction transaction, string table, string ownerColumn, object owner, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in tags)
        {
            await RegistryDb.ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO {table} ({ownerColumn}, key, value) VALUES (@owner, @key, @value) ON CONFLICT ({ownerColumn}, key) DO UPDATE SET value = excluded.value",
                cancellationToken,
                ("@owner", owner),
                ("@key", key),
                ("@value", value)).ConfigureAwait(false);
        }
    }

    private static async Task RemoveTagsAsync(DbConnection connection, DbTransaction transaction, string table, string ownerColumn, object owner, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await RegistryDb.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE {ownerColumn} = @owner AND key = @key", cancellationToken, ("@owner", owner), ("@key", key)).ConfigureAwait(false);
        }
    }

    /// <summary>Adds one <c>EXISTS</c> clause per tag to <paramref name="where"/>, and the parameters to <paramref name="command"/>.</summary>
    private static void AddTagFilters(DbCommand command, List<string> where, IReadOnlyDictionary<string, string> tags, string table, string ownerColumn, string ownerExpression)
    {
        var i = 0;
        foreach (var (key, value) in tags)
        {
            var k = "@tk" + i.ToString(CultureInfo.InvariantCulture);
            var v = "@tv" + i.ToString(CultureInfo.InvariantCulture);
            command.With(k, key).With(v, value);
            where.Add($"EXISTS (SELECT 1 FROM {table} t WHERE t.{ownerColumn} = {ownerExpression} AND t.key = {k} AND t.value = {v})");
            i++;
        }
    }

    private static string NotFoundVersionMessage(string name, int version) =>
        $"{ModelUri.ForVersion(name, version)} does not exist. List the versions with SearchVersionsAsync(new ModelVersionQuery {{ Name = \"{name}\" }}).";
}
