using System.Data.Common;
using System.Globalization;

namespace Aigc.Inference;

/// <content>Registered models: create, read, update, list.</content>
internal sealed partial class SqlModelRegistry
{
    public async Task<RegisteredModel> CreateModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        RegistryArguments.Tags(tags, nameof(tags));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var now = Now();
                var inserted = await RegistryDb.ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO models (name, description, latest_version, created_at, updated_at) VALUES (@name, @description, 0, @now, @now) ON CONFLICT (name) DO NOTHING",
                    cancellationToken,
                    ("@name", name),
                    ("@description", string.IsNullOrEmpty(description) ? null : description),
                    ("@now", now)).ConfigureAwait(false);
                if (inserted == 0)
                {
                    throw new ModelRegistryException(
                        $"A model named '{name}' already exists in the {_dialect.Description}. Change its description or tags with UpdateModelAsync, or register versions of it.");
                }

                await UpsertTagsAsync(connection, transaction, "model_tags", "model", name, tags ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return (await LoadModelsAsync(connection, ["name = @name"], [("@name", name)], 1, cancellationToken).ConfigureAwait(false))[0];
        }
    }

    public async Task<RegisteredModel?> GetModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var models = await LoadModelsAsync(connection, ["name = @name"], [("@name", name)], 1, cancellationToken).ConfigureAwait(false);
            return models.Count == 0 ? null : models[0];
        }
    }

    public async Task<RegisteredModel> UpdateModelAsync(string name, ModelMetadataUpdate update, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        RegistryArguments.Update(update, nameof(update));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var changed = update.Description is null
                    ? await RegistryDb.ExecuteAsync(connection, transaction, "UPDATE models SET updated_at = @now WHERE name = @name", cancellationToken, ("@now", Now()), ("@name", name)).ConfigureAwait(false)
                    : await RegistryDb.ExecuteAsync(
                        connection,
                        transaction,
                        "UPDATE models SET updated_at = @now, description = @description WHERE name = @name",
                        cancellationToken,
                        ("@now", Now()),
                        ("@name", name),
                        ("@description", update.Description.Length == 0 ? null : update.Description)).ConfigureAwait(false);
                if (changed == 0)
                {
                    throw new ModelNotFoundException($"There is no model named '{name}' in the {_dialect.Description}.", name, null, null);
                }

                await UpsertTagsAsync(connection, transaction, "model_tags", "model", name, update.SetTags, cancellationToken).ConfigureAwait(false);
                await RemoveTagsAsync(connection, transaction, "model_tags", "model", name, update.RemoveTags, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return (await LoadModelsAsync(connection, ["name = @name"], [("@name", name)], 1, cancellationToken).ConfigureAwait(false))[0];
        }
    }

    public async Task<ModelPage<RegisteredModel>> ListModelsAsync(ModelQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ModelQuery();
        RegistryPageToken.CheckPageSize(query.PageSize, nameof(query));
        RegistryArguments.Tags(query.Tags, nameof(query));
        var after = RegistryPageToken.ReadModel(query.PageToken);
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (after is not null)
        {
            where.Add("name > @after");
            parameters.Add(("@after", after));
        }

        if (!string.IsNullOrEmpty(query.NameContains))
        {
            where.Add($"name {_dialect.CaseInsensitiveLike} @pattern ESCAPE '\\'");
            parameters.Add(("@pattern", "%" + RegistryDb.EscapeLike(query.NameContains) + "%"));
        }

        var tagIndex = 0;
        foreach (var (key, value) in query.Tags)
        {
            var k = "@tk" + tagIndex.ToString(CultureInfo.InvariantCulture);
            var v = "@tv" + tagIndex.ToString(CultureInfo.InvariantCulture);
            where.Add($"EXISTS (SELECT 1 FROM model_tags t WHERE t.model = models.name AND t.key = {k} AND t.value = {v})");
            parameters.Add((k, key));
            parameters.Add((v, value));
            tagIndex++;
        }

        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var models = await LoadModelsAsync(connection, where, parameters, query.PageSize + 1, cancellationToken).ConfigureAwait(false);
            if (models.Count <= query.PageSize)
            {
                return new ModelPage<RegisteredModel>(models, null);
            }

            models.RemoveAt(models.Count - 1);
            return new ModelPage<RegisteredModel>(models, RegistryPageToken.ForModel(models[^1].Name));
        }
    }

    /// <summary>Reads models with their tags and aliases, in name order, in one snapshot.</summary>
    private async Task<List<RegisteredModel>> LoadModelsAsync(DbConnection connection, IReadOnlyList<string> where, IReadOnlyList<(string Name, object? Value)> parameters, int limit, CancellationToken cancellationToken)
    {
        var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var rows = new List<(string Name, string? Description, int Latest, DateTimeOffset Created, DateTimeOffset Updated)>();
            await using (var command = RegistryDb.Command(connection, transaction, string.Empty))
            {
                foreach (var (name, value) in parameters)
                {
                    command.With(name, value);
                }

                command.CommandText =
                    "SELECT name, description, latest_version, created_at, updated_at FROM models" +
                    (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) +
                    " ORDER BY name LIMIT " + limit.ToString(CultureInfo.InvariantCulture);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((reader.GetString(0), RegistryDb.GetNullableString(reader, 1), RegistryDb.GetInt(reader, 2), RegistryDb.GetTime(reader, 3), RegistryDb.GetTime(reader, 4)));
                    }
                }
            }

            if (rows.Count == 0)
            {
                return [];
            }

            var names = rows.ConvertAll(r => r.Name);
            var tags = await ReadPairsAsync<string>(connection, transaction, "SELECT model, key, value FROM model_tags WHERE model IN ({0})", names, cancellationToken).ConfigureAwait(false);
            var aliases = await ReadAliasesAsync(connection, transaction, names, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => new RegisteredModel
            {
                Name = r.Name,
                Description = r.Description,
                LatestVersion = r.Latest,
                CreatedAt = r.Created,
                UpdatedAt = r.Updated,
                Tags = tags.TryGetValue(r.Name, out var t) ? t : new Dictionary<string, string>(),
                Aliases = aliases.TryGetValue(r.Name, out var a) ? a : new Dictionary<string, int>(),
            });
        }
    }

    /// <summary>Reads <c>(owner, key, value)</c> rows for a set of owners into one dictionary per owner.</summary>
    private static async Task<Dictionary<TOwner, Dictionary<string, string>>> ReadPairsAsync<TOwner>(DbConnection connection, DbTransaction transaction, string sqlFormat, IReadOnlyList<TOwner> owners, CancellationToken cancellationToken)
        where TOwner : notnull
    {
        var result = new Dictionary<TOwner, Dictionary<string, string>>();
        await using var command = RegistryDb.Command(connection, transaction, string.Empty);
        command.CommandText = string.Format(CultureInfo.InvariantCulture, sqlFormat, RegistryDb.InList(command, "o", owners));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var owner = (TOwner)Convert.ChangeType(reader.GetValue(0), typeof(TOwner), CultureInfo.InvariantCulture);
                if (!result.TryGetValue(owner, out var pairs))
                {
                    result[owner] = pairs = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                pairs[reader.GetString(1)] = reader.GetString(2);
            }
        }

        return result;
    }

    /// <summary>Reads the aliases of a set of models: model → alias → version, in alias order.</summary>
    private static async Task<Dictionary<string, Dictionary<string, int>>> ReadAliasesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> models, CancellationToken cancellationToken)
    {
        var rows = new List<(string Model, string Alias, int Version)>();
        await using (var command = RegistryDb.Command(connection, transaction, string.Empty))
        {
            command.CommandText = "SELECT model, alias, version FROM aliases WHERE model IN (" + RegistryDb.InList(command, "m", models.Distinct(StringComparer.Ordinal).ToList()) + ")";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), RegistryDb.GetInt(reader, 2)));
                }
            }
        }

        rows.Sort(static (a, b) => string.CompareOrdinal(a.Alias, b.Alias));
        var result = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (model, alias, version) in rows)
        {
            if (!result.TryGetValue(model, out var aliases))
            {
                result[model] = aliases = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            aliases[alias] = version;
        }

        return result;
    }
}
