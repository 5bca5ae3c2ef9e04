using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Aigc.Monitoring;

/// <summary>
/// An <see cref="IFeedbackStore"/> on PostgreSQL, for several hosts sharing one store. The table
/// <c>&lt;schema&gt;.feedback</c> (and the schema) are created on first use.
/// </summary>
/// <remarks>
/// Inserts are <c>INSERT … ON CONFLICT (id) DO NOTHING</c>, so concurrent and repeated inserts of one id store it
/// once. Times are <c>timestamptz</c> (microsecond precision); ids use the <c>"C"</c> collation so that paging
/// order does not depend on the database's locale. Dispose the store to close its connection pool when it owns it.
/// </remarks>
public sealed partial class PostgresFeedbackStore : IFeedbackStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _table;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes a store from a connection string; the store owns the connection pool it creates.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="schema">The schema of the table: lowercase letters, digits and <c>_</c>, not starting with a digit.</param>
    /// <exception cref="ArgumentException">The connection string is empty or the schema name is not a plain lowercase identifier.</exception>
    public PostgresFeedbackStore(string connectionString, string schema)
        : this(CreateDataSource(connectionString), schema, ownsDataSource: true)
    {
    }

    /// <summary>Initializes a store over an existing data source (connection pool).</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="schema">The schema of the table: lowercase letters, digits and <c>_</c>, not starting with a digit.</param>
    /// <param name="ownsDataSource">Whether disposing the store disposes the data source.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema name is not a plain lowercase identifier.</exception>
    public PostgresFeedbackStore(NpgsqlDataSource dataSource, string schema, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (schema is null || !SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"The schema name '{schema}' is not a plain lowercase identifier (letters a–z, digits and '_', at most 63, not starting with a digit).", nameof(schema));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        Schema = schema;
        _table = $"\"{schema}\".feedback";
    }

    /// <summary>Gets the schema of the feedback table.</summary>
    public string Schema { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record has an empty required field or an id over 200 characters.</exception>
    public async Task<bool> AddAsync(FeedbackRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand(InsertSql);
        await using (command.ConfigureAwait(false))
        {
            FeedbackSql.BindRecord(command, record, Time(record.CreatedAt));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
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

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var added = 0;
                foreach (var record in list)
                {
                    var command = new NpgsqlCommand(InsertSql, connection, transaction);
                    await using (command.ConfigureAwait(false))
                    {
                        FeedbackSql.BindRecord(command, record, Time(record.CreatedAt));
                        added += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return added;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty.</exception>
    public async Task<FeedbackRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"SELECT {FeedbackSql.Columns} FROM {_table} WHERE id = @id");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", id);
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
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            var where = FeedbackSql.Where(command, Time, query.ModelName, query.ModelVersion, query.Name, query.Source, query.From, query.To, after);
            command.CommandText = $"SELECT {FeedbackSql.Columns} FROM {_table}{where} ORDER BY created_at, id LIMIT @limit";
            command.Parameters.AddWithValue("limit", query.PageSize + 1);
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
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            var where = FeedbackSql.Where(command, Time, query.ModelName, query.ModelVersion, null, null, query.From, query.To, null);
            FeedbackSql.BindAggregateNames(command, query);
            command.CommandText = FeedbackSql.AggregateSelect(_table) + where + " GROUP BY model_name, model_version ORDER BY model_name, model_version";
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

    /// <summary>Creates the schema, the table and its indexes when they are missing (also done on first use).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the table exists.</returns>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    // One creator at a time across hosts: CREATE … IF NOT EXISTS alone races on the catalog.
                    var command = new NpgsqlCommand(
                        $"""
                        SELECT pg_advisory_xact_lock(hashtext('aigc.feedback.create'));
                        CREATE SCHEMA IF NOT EXISTS "{Schema}";
                        CREATE TABLE IF NOT EXISTS {_table} (
                        {FeedbackSql.ColumnDefinitions("TEXT COLLATE \"C\"", "TIMESTAMPTZ", "DOUBLE PRECISION")}
                        );
                        CREATE INDEX IF NOT EXISTS ix_feedback_model_time ON {_table} (model_name, model_version, created_at, id);
                        CREATE INDEX IF NOT EXISTS ix_feedback_time ON {_table} (created_at, id);
                        """,
                        connection,
                        transaction);
                    await using (command.ConfigureAwait(false))
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private string InsertSql => $"INSERT INTO {_table} ({FeedbackSql.Columns}) VALUES ({FeedbackSql.Values}) ON CONFLICT (id) DO NOTHING";

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static object Time(DateTimeOffset time) => FeedbackSql.Truncate(time).UtcDateTime;

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
