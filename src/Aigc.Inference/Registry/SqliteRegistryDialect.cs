using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Aigc.Inference;

/// <summary>
/// SQLite: one file, WAL journal (readers never wait for the writer), writes in <c>BEGIN IMMEDIATE</c> transactions
/// that wait up to the busy timeout for another writer, also in another process.
/// </summary>
internal sealed class SqliteRegistryDialect : RegistryDialect
{
    // Registries on the same file in one process wake each other at once; other processes are seen by polling.
    private static readonly ConcurrentDictionary<string, AliasChangeSignal> Signals = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly ILogger _logger;

    public SqliteRegistryDialect(string databasePath, TimeSpan busyTimeout, ILogger logger)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        _busyTimeoutMilliseconds = (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
        Signal = Signals.GetOrAdd(DatabasePath, static _ => new AliasChangeSignal());
    }

    public string DatabasePath { get; }

    public override string Description => "SQLite registry " + DatabasePath;

    public override string CaseInsensitiveLike => "LIKE";

    public override AliasChangeSignal Signal { get; }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await RegistryDb.ExecuteAsync(
                connection,
                null,
                "PRAGMA busy_timeout = " + _busyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture) + "; PRAGMA foreign_keys = ON;",
                cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var mode = (string?)await RegistryDb.ScalarAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            RegistryLog.NotWal(_logger, DatabasePath, mode ?? "unknown");
        }

        var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await RegistryDb.ExecuteAsync(connection, transaction, SchemaScript("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task LockAliasesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already serializes every writer.

    public override Task NotifyAliasChangedAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public override Task EnsureWatchingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override void Dispose()
    {
        // Release the pooled handles, so the files can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
