using System.Data.Common;

namespace Aigc.Inference;

/// <summary>What differs between the SQLite and the PostgreSQL registry: connections, locking, schema and notifications.</summary>
internal abstract class RegistryDialect : IAsyncDisposable, IDisposable
{
    /// <summary>Gets a short description of the store for messages, for example <c>SQLite registry /data/registry.db</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Gets the case-insensitive (ASCII) <c>LIKE</c> operator.</summary>
    public abstract string CaseInsensitiveLike { get; }

    /// <summary>Gets the signal that wakes this registry's alias watchers.</summary>
    public abstract AliasChangeSignal Signal { get; }

    /// <summary>Opens a connection, configured for use.</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that writes: it holds the write lock (SQLite) or runs read-committed (PostgreSQL).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a read-only transaction whose reads all see one snapshot.</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Creates the schema when missing (safe when several processes do it at once).</summary>
    public abstract Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serializes alias changes, so the change log's ids follow commit order.</summary>
    public abstract Task LockAliasesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Tells other hosts, at commit, that an alias changed.</summary>
    public abstract Task NotifyAliasChangedAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken);

    /// <summary>Makes sure changes by other hosts wake <see cref="Signal"/> (PostgreSQL: LISTEN is in place) before a watch takes its snapshot.</summary>
    public abstract Task EnsureWatchingAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>Returns the schema script with the dialect's auto-increment key and 64-bit integer types.</summary>
    protected static string SchemaScript(string identityKey, string bigint) =>
        RegistrySchema.Script.Replace("{identity}", identityKey, StringComparison.Ordinal).Replace("{bigint}", bigint, StringComparison.Ordinal);
}
