using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Aigc.Monitoring;

/// <summary>
/// The default <see cref="IFeedbackStore"/>: one SQLite database file in write-ahead-log mode (readers never wait
/// for the writer), created with its table <c>aigc_feedback</c> on first use.
/// </summary>
/// <remarks>
/// Writes go through one connection, one at a time (SQLite allows a single writer), each insert its own
/// transaction with <c>INSERT … ON CONFLICT(id) DO NOTHING</c>; reads use pooled connections of their own. Times
/// are stored as microseconds since 1970-01-01 UTC. Dispose the store to close the write connection.
/// </remarks>
public sealed class SqliteFeedbackStore : IFeedbackStore, IAsyncDisposable, IDisposable
{
    private const string Table = "aigc_feedback";
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private bool _disposed;

    /// <summary>Initializes a store over a database file (created when missing).</summary>
    /// <param name="databasePath">The database file.</param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is null or empty.</exception>
    public SqliteFeedbackStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record has an empty required field or an id over 200 characters.</exception>
    public async Task<bool> AddAsync(FeedbackRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var insert = await GetInsertAsync(cancellationToken).ConfigureAwait(false);
            insert.Transaction = null;
            Bind(insert, record);
            return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A record has an empty required field or an id over 200 characters.</exception>
    public async Task<int> AddRangeAsync(IEnumerable<FeedbackRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records.ToList();
        foreach (var record in list)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            record.Validate();
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var insert = await GetInsertAsync(cancellationToken).ConfigureAwait(false);
            var transaction = (SqliteTransaction)await _writer!.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                insert.Transaction = transaction;
                var added = 0;
                foreach (var record in list)
                {
                    Bind(insert, record);
                    added += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                insert.Transaction = null;
                return added;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty.</exception>
    public async Task<FeedbackRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {FeedbackSql.Columns} FROM {Table} WHERE id = @id";
            command.Parameters.AddWithValue("@id", id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? FeedbackSql.Read(reader, ReadTime) : null;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The continuation token is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page size is not between 1 and 10,000.</exception>
    public async Task<FeedbackPage> QueryAsync(FeedbackQuery query, CancellationToken cancellationToken = default)
    {
        FeedbackSql.CheckQuery(query);
        var after = query.ContinuationToken is null ? ((DateTimeOffset, string)?)null : FeedbackSql.DecodeToken(query.ContinuationToken);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var where = FeedbackSql.Where(command, Time, query.ModelName, query.ModelVersion, query.Name, query.Source, query.From, query.To, after);
            command.CommandText = $"SELECT {FeedbackSql.Columns} FROM {Table}{where} ORDER BY created_at, id LIMIT @limit";
            command.Parameters.AddWithValue("@limit", query.PageSize + 1);
            var items = new List<FeedbackRecord>(Math.Min(query.PageSize, 1024));
            var more = false;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (items.Count == query.PageSize)
                    {
                        more = true;
                        break;
                    }

                    items.Add(FeedbackSql.Read(reader, ReadTime));
                }
            }

            return new FeedbackPage(items, more ? FeedbackSql.EncodeToken(items[^1].CreatedAt, items[^1].Id) : null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<FeedbackAggregate>> AggregateAsync(FeedbackAggregateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var where = FeedbackSql.Where(command, Time, query.ModelName, query.ModelVersion, null, null, query.From, query.To, null);
            FeedbackSql.BindAggregateNames(command, query);
            command.CommandText = FeedbackSql.AggregateSelect(Table) + where + " GROUP BY model_name, model_version ORDER BY model_name, model_version";
            var result = new List<FeedbackAggregate>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(FeedbackSql.ReadAggregate(reader));
                }
            }

            return result;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_insert is not null)
            {
                await _insert.DisposeAsync().ConfigureAwait(false);
            }

            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _insert?.Dispose();
            _writer?.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static object Time(DateTimeOffset time) => FeedbackSql.ToMicros(time);

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => FeedbackSql.FromMicros(reader.GetInt64(ordinal));

    private static void Bind(SqliteCommand insert, FeedbackRecord record)
    {
        insert.Parameters.Clear();
        FeedbackSql.BindRecord(insert, record, FeedbackSql.ToMicros(record.CreatedAt));
    }

    /// <summary>Opens the write connection, switches it to WAL and creates the table; called under the write lock.</summary>
    private async Task<SqliteCommand> GetInsertAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_insert is not null)
        {
            return _insert;
        }

        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var writer = new SqliteConnection(_connectionString);
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (var setup = writer.CreateCommand())
            {
                setup.CommandText = $"""
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = NORMAL;
                    CREATE TABLE IF NOT EXISTS {Table} (
                    {FeedbackSql.ColumnDefinitions("TEXT", "INTEGER", "REAL")}
                    );
                    CREATE INDEX IF NOT EXISTS ix_{Table}_model_time ON {Table} (model_name, model_version, created_at, id);
                    CREATE INDEX IF NOT EXISTS ix_{Table}_time ON {Table} (created_at, id);
                    """;
                await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var insert = writer.CreateCommand();
            insert.CommandText = $"INSERT INTO {Table} ({FeedbackSql.Columns}) VALUES ({FeedbackSql.Values}) ON CONFLICT(id) DO NOTHING";
            _writer = writer;
            _insert = insert;
            return insert;
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_insert is null)
        {
            // Create the database and table before the first read.
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await GetInsertAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
