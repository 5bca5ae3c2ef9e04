using System.Data.Common;
using System.Globalization;

namespace Aigc.Inference;

/// <content>Reading versions: search with paging, and the row mapping every version read goes through.</content>
internal sealed partial class SqlModelRegistry
{
    private const string VersionColumns =
        "v.id, v.model, v.version, v.status, v.status_message, v.description, v.digest, v.base_model, v.base_model_source, v.training_run_id, v.parameters, v.metrics, v.created_at, v.updated_at";

    public async Task<ModelPage<ModelVersion>> SearchVersionsAsync(ModelVersionQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ModelVersionQuery();
        RegistryPageToken.CheckPageSize(query.PageSize, nameof(query));
        RegistryArguments.Tags(query.Tags, nameof(query));
        if (query.Name is not null)
        {
            ModelUri.ThrowIfInvalidName(query.Name, nameof(query));
        }

        var after = RegistryPageToken.ReadVersion(query.PageToken);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await LoadVersionsAsync(
                connection,
                (command, where) =>
                {
                    if (after is { } last)
                    {
                        where.Add("v.id < @after");
                        command.With("@after", last);
                    }

                    if (query.Name is not null)
                    {
                        where.Add("v.model = @name");
                        command.With("@name", query.Name);
                    }

                    if (query.Status is { } status)
                    {
                        where.Add("v.status = @status");
                        command.With("@status", (int)status);
                    }

                    if (query.TrainingRunId is not null)
                    {
                        where.Add("v.training_run_id = @run");
                        command.With("@run", query.TrainingRunId);
                    }

                    if (query.DatasetName is not null || query.DatasetFingerprint is not null)
                    {
                        var conditions = new List<string> { "d.version_id = v.id" };
                        if (query.DatasetName is not null)
                        {
                            conditions.Add("d.name = @dataset");
                            command.With("@dataset", query.DatasetName);
                        }

                        if (query.DatasetFingerprint is not null)
                        {
                            conditions.Add("d.fingerprint = @fingerprint");
                            command.With("@fingerprint", query.DatasetFingerprint);
                        }

                        where.Add("EXISTS (SELECT 1 FROM version_datasets d WHERE " + string.Join(" AND ", conditions) + ")");
                    }

                    AddTagFilters(command, where, query.Tags, "version_tags", "version_id", "v.id");
                },
                query.PageSize + 1,
                cancellationToken).ConfigureAwait(false);
            if (rows.Count <= query.PageSize)
            {
                return new ModelPage<ModelVersion>(rows.ConvertAll(r => r.Version), null);
            }

            rows.RemoveAt(rows.Count - 1);
            return new ModelPage<ModelVersion>(rows.ConvertAll(r => r.Version), RegistryPageToken.ForVersion(rows[^1].Id));
        }
    }

    private async Task<ModelVersion?> LoadVersionAsync(DbConnection connection, string name, int version, CancellationToken cancellationToken)
    {
        var rows = await LoadVersionsAsync(
            connection,
            (command, where) =>
            {
                where.Add("v.model = @name");
                where.Add("v.version = @version");
                command.With("@name", name).With("@version", version);
            },
            1,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Version;
    }

    /// <summary>Reads versions (newest first) with their tags, datasets, files and aliases, in one snapshot.</summary>
    private async Task<List<(long Id, ModelVersion Version)>> LoadVersionsAsync(DbConnection connection, Action<DbCommand, List<string>> filter, int limit, CancellationToken cancellationToken)
    {
        var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var rows = new List<(long Id, ModelVersion Version)>();
            await using (var command = RegistryDb.Command(connection, transaction, string.Empty))
            {
                var where = new List<string>();
                filter(command, where);
                command.CommandText = $"SELECT {VersionColumns} FROM versions v" +
                    (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) +
                    " ORDER BY v.id DESC LIMIT " + limit.ToString(CultureInfo.InvariantCulture);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((RegistryDb.GetLong(reader, 0), ReadVersionRow(reader)));
                    }
                }
            }

            if (rows.Count == 0)
            {
                return rows;
            }

            var ids = rows.ConvertAll(r => r.Id);
            var tags = await ReadPairsAsync<long>(connection, transaction, "SELECT version_id, key, value FROM version_tags WHERE version_id IN ({0})", ids, cancellationToken).ConfigureAwait(false);
            var datasets = await ReadDatasetsAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
            var artifacts = await ReadArtifactsAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
            var aliases = await ReadAliasesAsync(connection, transaction, rows.ConvertAll(r => r.Version.Name), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            for (var i = 0; i < rows.Count; i++)
            {
                var (id, version) = rows[i];
                var pointing = new List<string>();
                if (aliases.TryGetValue(version.Name, out var modelAliases))
                {
                    foreach (var (alias, target) in modelAliases)
                    {
                        if (target == version.Version)
                        {
                            pointing.Add(alias);
                        }
                    }
                }

                rows[i] = (id, version with
                {
                    Tags = tags.TryGetValue(id, out var t) ? t : new Dictionary<string, string>(),
                    Lineage = version.Lineage with { Datasets = datasets.TryGetValue(id, out var d) ? d : [] },
                    Artifacts = artifacts.TryGetValue(id, out var a) ? a : [],
                    Aliases = pointing,
                });
            }

            return rows;
        }
    }

    private static ModelVersion ReadVersionRow(DbDataReader reader)
    {
        var baseModel = RegistryDb.GetNullableString(reader, 7);
        return new ModelVersion
        {
            Name = reader.GetString(1),
            Version = RegistryDb.GetInt(reader, 2),
            Status = (ModelVersionStatus)RegistryDb.GetInt(reader, 3),
            StatusMessage = RegistryDb.GetNullableString(reader, 4),
            Description = RegistryDb.GetNullableString(reader, 5),
            Digest = RegistryDb.GetNullableString(reader, 6),
            Lineage = new ModelLineage
            {
                BaseModel = baseModel is null ? null : ModelUri.Parse(baseModel),
                BaseModelSource = RegistryDb.GetNullableString(reader, 8),
                TrainingRunId = RegistryDb.GetNullableString(reader, 9),
                Parameters = RegistryJson.ReadStrings(reader.GetString(10)),
                Metrics = RegistryJson.ReadDoubles(reader.GetString(11)),
            },
            CreatedAt = RegistryDb.GetTime(reader, 12),
            UpdatedAt = RegistryDb.GetTime(reader, 13),
        };
    }

    private static async Task<Dictionary<long, List<DatasetReference>>> ReadDatasetsAsync(DbConnection connection, DbTransaction transaction, List<long> ids, CancellationToken cancellationToken)
    {
        var rows = new List<(long Id, int Position, DatasetReference Dataset)>();
        await using (var command = RegistryDb.Command(connection, transaction, string.Empty))
        {
            command.CommandText = "SELECT version_id, position, name, version, fingerprint FROM version_datasets WHERE version_id IN (" + RegistryDb.InList(command, "i", ids) + ")";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((RegistryDb.GetLong(reader, 0), RegistryDb.GetInt(reader, 1), new DatasetReference(reader.GetString(2), RegistryDb.GetInt(reader, 3), reader.GetString(4))));
                }
            }
        }

        rows.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        var result = new Dictionary<long, List<DatasetReference>>();
        foreach (var (id, _, dataset) in rows)
        {
            if (!result.TryGetValue(id, out var list))
            {
                result[id] = list = [];
            }

            list.Add(dataset);
        }

        return result;
    }

    private static async Task<Dictionary<long, List<ModelArtifact>>> ReadArtifactsAsync(DbConnection connection, DbTransaction transaction, List<long> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, List<ModelArtifact>>();
        await using (var command = RegistryDb.Command(connection, transaction, string.Empty))
        {
            command.CommandText = "SELECT version_id, path, sha256, size FROM artifacts WHERE version_id IN (" + RegistryDb.InList(command, "i", ids) + ")";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = RegistryDb.GetLong(reader, 0);
                    if (!result.TryGetValue(id, out var list))
                    {
                        result[id] = list = [];
                    }

                    list.Add(new ModelArtifact(reader.GetString(1), reader.GetString(2), RegistryDb.GetLong(reader, 3)));
                }
            }
        }

        foreach (var list in result.Values)
        {
            list.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        }

        return result;
    }
}
