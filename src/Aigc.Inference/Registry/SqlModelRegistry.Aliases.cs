using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Aigc.Inference;

/// <content>
/// Aliases: set, move, remove, and watch. Every change is appended to <c>alias_events</c> in the transaction that
/// makes it, under a lock that keeps the log's ids in commit order; watchers read the log from where they are, so a
/// wake-up (a local pulse, a PostgreSQL notification, or the poll timer) can never lose a change, only bring it sooner.
/// </content>
internal sealed partial class SqlModelRegistry
{
    public async Task<ModelAliasChange> SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        ModelUri.ThrowIfInvalidAlias(alias, nameof(alias));
        RegistryArguments.Version(version, nameof(version));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            ModelAliasChange change;
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await _dialect.LockAliasesAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                var status = await RegistryDb.ScalarAsync(
                    connection,
                    transaction,
                    "SELECT status FROM versions WHERE model = @name AND version = @version",
                    cancellationToken,
                    ("@name", name),
                    ("@version", version)).ConfigureAwait(false);
                if (status is null)
                {
                    throw new ModelNotFoundException(NotFoundVersionMessage(name, version) + " An alias can only point at an existing, ready version.", name, version, alias);
                }

                var current = (ModelVersionStatus)Convert.ToInt32(status, CultureInfo.InvariantCulture);
                if (current != ModelVersionStatus.Ready)
                {
                    throw new ModelRegistryException(
                        $"{ModelUri.ForVersion(name, version)} is {current.ToString().ToLowerInvariant()}: an alias can only point at a ready version, so that whatever resolves {ModelUri.ForAlias(name, alias)} can load it.");
                }

                var previous = await ReadAliasTargetAsync(connection, transaction, name, alias, cancellationToken).ConfigureAwait(false);
                var now = Now();
                if (previous == version)
                {
                    // Nothing moves, so watchers are not woken.
                    return new ModelAliasChange { Name = name, Alias = alias, Version = version, PreviousVersion = previous, ChangedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) };
                }

                await RegistryDb.ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO aliases (model, alias, version, updated_at) VALUES (@name, @alias, @version, @now) " +
                    "ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at",
                    cancellationToken,
                    ("@name", name),
                    ("@alias", alias),
                    ("@version", version),
                    ("@now", now)).ConfigureAwait(false);
                change = await AppendAliasEventAsync(connection, transaction, name, alias, version, previous, now, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            _dialect.Signal.Pulse();
            RegistryLog.AliasChanged(_logger, name, alias, change.PreviousVersion, change.Version);
            return change;
        }
    }

    public async Task<bool> DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        ModelUri.ThrowIfInvalidAlias(alias, nameof(alias));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            int? previous;
            await using (transaction.ConfigureAwait(false))
            {
                await _dialect.LockAliasesAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                previous = await ReadAliasTargetAsync(connection, transaction, name, alias, cancellationToken).ConfigureAwait(false);
                if (previous is null)
                {
                    return false;
                }

                var now = Now();
                await RegistryDb.ExecuteAsync(connection, transaction, "DELETE FROM aliases WHERE model = @name AND alias = @alias", cancellationToken, ("@name", name), ("@alias", alias)).ConfigureAwait(false);
                await AppendAliasEventAsync(connection, transaction, name, alias, version: null, previous, now, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            _dialect.Signal.Pulse();
            RegistryLog.AliasChanged(_logger, name, alias, previous, null);
            return true;
        }
    }

    public async IAsyncEnumerable<ModelAliasChange> WatchAliasesAsync(string? name = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (name is not null)
        {
            ModelUri.ThrowIfInvalidName(name, nameof(name));
        }

        // Listen first, then take the snapshot: a change after the snapshot then always wakes us.
        await _dialect.EnsureWatchingAsync(cancellationToken).ConfigureAwait(false);
        var (last, snapshot) = await ReadAliasSnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        foreach (var current in snapshot)
        {
            yield return current;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pulse = _dialect.Signal.NextPulse;
            var changes = await ReadAliasEventsAsync(name, last, cancellationToken).ConfigureAwait(false);
            foreach (var change in changes)
            {
                last = change.Sequence;
                yield return change;
            }

            if (changes.Count < AliasEventBatch)
            {
                await AliasChangeSignal.WaitAsync(pulse, _pollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int?> ReadAliasTargetAsync(DbConnection connection, DbTransaction transaction, string name, string alias, CancellationToken cancellationToken)
    {
        var value = await RegistryDb.ScalarAsync(
            connection,
            transaction,
            "SELECT version FROM aliases WHERE model = @name AND alias = @alias",
            cancellationToken,
            ("@name", name),
            ("@alias", alias)).ConfigureAwait(false);
        return value is null ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private async Task<ModelAliasChange> AppendAliasEventAsync(DbConnection connection, DbTransaction transaction, string name, string alias, int? version, int? previous, long now, CancellationToken cancellationToken)
    {
        var sequence = Convert.ToInt64(
            await RegistryDb.ScalarAsync(
                connection,
                transaction,
                "INSERT INTO alias_events (model, alias, version, previous_version, changed_at) VALUES (@name, @alias, @version, @previous, @now) RETURNING id",
                cancellationToken,
                ("@name", name),
                ("@alias", alias),
                ("@version", version),
                ("@previous", previous),
                ("@now", now)).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        await RegistryDb.ExecuteAsync(connection, transaction, "UPDATE models SET updated_at = @now WHERE name = @name", cancellationToken, ("@now", now), ("@name", name)).ConfigureAwait(false);
        await _dialect.NotifyAliasChangedAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        return new ModelAliasChange
        {
            Name = name,
            Alias = alias,
            Version = version,
            PreviousVersion = previous,
            Sequence = sequence,
            ChangedAt = DateTimeOffset.FromUnixTimeMilliseconds(now),
        };
    }

    /// <summary>Reads the current aliases and the change log's position, in one snapshot.</summary>
    private async Task<(long Last, List<ModelAliasChange> Snapshot)> ReadAliasSnapshotAsync(string? name, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var last = Convert.ToInt64(
                    await RegistryDb.ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(id), 0) FROM alias_events", cancellationToken).ConfigureAwait(false),
                    CultureInfo.InvariantCulture);
                var snapshot = new List<ModelAliasChange>();
                await using (var command = RegistryDb.Command(connection, transaction, "SELECT model, alias, version, updated_at FROM aliases"))
                {
                    if (name is not null)
                    {
                        command.CommandText += " WHERE model = @name";
                        command.With("@name", name);
                    }

                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            snapshot.Add(new ModelAliasChange
                            {
                                Name = reader.GetString(0),
                                Alias = reader.GetString(1),
                                Version = RegistryDb.GetInt(reader, 2),
                                ChangedAt = RegistryDb.GetTime(reader, 3),
                                Sequence = last,
                                IsSnapshot = true,
                            });
                        }
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                snapshot.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Alias, b.Alias));
                return (last, snapshot);
            }
        }
    }

    private async Task<List<ModelAliasChange>> ReadAliasEventsAsync(string? name, long after, CancellationToken cancellationToken)
    {
        var changes = new List<ModelAliasChange>();
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = RegistryDb.Command(
                connection,
                null,
                "SELECT id, model, alias, version, previous_version, changed_at FROM alias_events WHERE id > @after" +
                (name is null ? string.Empty : " AND model = @name") +
                " ORDER BY id LIMIT " + AliasEventBatch.ToString(CultureInfo.InvariantCulture));
            command.With("@after", after);
            if (name is not null)
            {
                command.With("@name", name);
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    changes.Add(new ModelAliasChange
                    {
                        Sequence = RegistryDb.GetLong(reader, 0),
                        Name = reader.GetString(1),
                        Alias = reader.GetString(2),
                        Version = RegistryDb.GetNullableInt(reader, 3),
                        PreviousVersion = RegistryDb.GetNullableInt(reader, 4),
                        ChangedAt = RegistryDb.GetTime(reader, 5),
                    });
                }
            }
        }

        return changes;
    }
}
