using System.Data.Common;
using System.Globalization;

namespace Aigc.Inference;

/// <content>Model versions: register, reserve, complete, fail, read, resolve, update.</content>
internal sealed partial class SqlModelRegistry
{
    public async Task<ModelVersion> RegisterVersionAsync(ModelVersionRegistration registration, CancellationToken cancellationToken = default)
    {
        CheckRegistration(registration);
        RegistryArguments.Files(registration.Files, nameof(registration));
        var baseModel = await PinBaseModelAsync(registration.Lineage.BaseModel, cancellationToken).ConfigureAwait(false);
        var artifacts = await ImportAsync(registration.Files, cancellationToken).ConfigureAwait(false);
        var digest = ContentAddressedStore.Digest(artifacts);
        var version = await InsertVersionAsync(registration, baseModel, ModelVersionStatus.Ready, artifacts, digest, cancellationToken).ConfigureAwait(false);
        RegistryLog.Registered(_logger, version.Uri.ToString(), artifacts.Count, artifacts.Sum(a => a.Size), digest);
        return version;
    }

    public async Task<ModelVersion> BeginVersionAsync(ModelVersionRegistration registration, CancellationToken cancellationToken = default)
    {
        CheckRegistration(registration);
        if (registration.Files.Count != 0)
        {
            throw new ArgumentException(
                "A pending version has no files yet: leave Files empty here and pass them to CompleteVersionAsync, or call RegisterVersionAsync to register a ready version in one step.",
                nameof(registration));
        }

        var baseModel = await PinBaseModelAsync(registration.Lineage.BaseModel, cancellationToken).ConfigureAwait(false);
        return await InsertVersionAsync(registration, baseModel, ModelVersionStatus.Pending, [], digest: null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelVersion> CompleteVersionAsync(string name, int version, IReadOnlyList<ModelArtifactSource> files, IReadOnlyDictionary<string, double>? metrics = null, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        RegistryArguments.Version(version, nameof(version));
        RegistryArguments.Files(files, nameof(files));

        // Refuse before copying anything when the version cannot be completed (checked again in the transaction).
        var current = await GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
        if (current.Status != ModelVersionStatus.Pending)
        {
            throw NotPending(name, version, current.Status);
        }

        var artifacts = await ImportAsync(files, cancellationToken).ConfigureAwait(false);
        var digest = ContentAddressedStore.Digest(artifacts);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var now = Now();
                var (id, storedMetrics) = await FinishPendingAsync(
                    connection,
                    transaction,
                    name,
                    version,
                    "status = 1, digest = @digest, updated_at = @now",
                    [("@digest", digest), ("@now", now)],
                    cancellationToken).ConfigureAwait(false);
                if (metrics is { Count: > 0 })
                {
                    var merged = new Dictionary<string, double>(RegistryJson.ReadDoubles(storedMetrics), StringComparer.Ordinal);
                    foreach (var (key, value) in metrics)
                    {
                        ArgumentException.ThrowIfNullOrEmpty(key, nameof(metrics));
                        merged[key] = value;
                    }

                    await RegistryDb.ExecuteAsync(connection, transaction, "UPDATE versions SET metrics = @metrics WHERE id = @id", cancellationToken, ("@metrics", RegistryJson.Write(merged)), ("@id", id)).ConfigureAwait(false);
                }

                await InsertArtifactsAsync(connection, transaction, id, artifacts, cancellationToken).ConfigureAwait(false);
                await RegistryDb.ExecuteAsync(connection, transaction, "UPDATE models SET updated_at = @now WHERE name = @name", cancellationToken, ("@now", now), ("@name", name)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            RegistryLog.Registered(_logger, ModelUri.ForVersion(name, version).ToString(), artifacts.Count, artifacts.Sum(a => a.Size), digest);
            return await LoadVersionAsync(connection, name, version, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
        }
    }

    public async Task<ModelVersion> FailVersionAsync(string name, int version, string reason, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        RegistryArguments.Version(version, nameof(version));
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await FinishPendingAsync(
                    connection,
                    transaction,
                    name,
                    version,
                    "status = 2, status_message = @reason, updated_at = @now",
                    [("@reason", reason), ("@now", Now())],
                    cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return await LoadVersionAsync(connection, name, version, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
        }
    }

    public async Task<ModelVersion?> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        RegistryArguments.Version(version, nameof(version));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await LoadVersionAsync(connection, name, version, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!uri.IsAlias)
            {
                return await LoadVersionAsync(connection, uri.Name, uri.Version.Value, cancellationToken).ConfigureAwait(false)
                    ?? throw new ModelNotFoundException(NotFoundVersionMessage(uri.Name, uri.Version.Value), uri.Name, uri.Version, null);
            }

            var target = await RegistryDb.ScalarAsync(
                connection,
                null,
                "SELECT version FROM aliases WHERE model = @name AND alias = @alias",
                cancellationToken,
                ("@name", uri.Name),
                ("@alias", uri.Alias)).ConfigureAwait(false);
            if (target is null)
            {
                var models = await LoadModelsAsync(connection, ["name = @name"], [("@name", uri.Name)], 1, cancellationToken).ConfigureAwait(false);
                var message = models.Count == 0
                    ? $"There is no model named '{uri.Name}' in the {_dialect.Description}, so {uri} names nothing."
                    : $"Model '{uri.Name}' has no alias '{uri.Alias}'" +
                      (models[0].Aliases.Count == 0 ? " (it has no aliases)" : $" (its aliases: {string.Join(", ", models[0].Aliases.Keys)})") +
                      ". Point the alias at a ready version with SetAliasAsync.";
                throw new ModelNotFoundException(message, uri.Name, null, uri.Alias);
            }

            var number = Convert.ToInt32(target, CultureInfo.InvariantCulture);
            return await LoadVersionAsync(connection, uri.Name, number, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(NotFoundVersionMessage(uri.Name, number), uri.Name, number, uri.Alias);
        }
    }

    public async Task<ModelVersion> UpdateVersionAsync(string name, int version, ModelMetadataUpdate update, CancellationToken cancellationToken = default)
    {
        ModelUri.ThrowIfInvalidName(name, nameof(name));
        RegistryArguments.Version(version, nameof(version));
        RegistryArguments.Update(update, nameof(update));
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var id = update.Description is null
                    ? await RegistryDb.ScalarAsync(
                        connection,
                        transaction,
                        "UPDATE versions SET updated_at = @now WHERE model = @name AND version = @version RETURNING id",
                        cancellationToken,
                        ("@now", Now()),
                        ("@name", name),
                        ("@version", version)).ConfigureAwait(false)
                    : await RegistryDb.ScalarAsync(
                        connection,
                        transaction,
                        "UPDATE versions SET updated_at = @now, description = @description WHERE model = @name AND version = @version RETURNING id",
                        cancellationToken,
                        ("@now", Now()),
                        ("@name", name),
                        ("@version", version),
                        ("@description", update.Description.Length == 0 ? null : update.Description)).ConfigureAwait(false);
                if (id is null)
                {
                    throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
                }

                var versionId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
                await UpsertTagsAsync(connection, transaction, "version_tags", "version_id", versionId, update.SetTags, cancellationToken).ConfigureAwait(false);
                await RemoveTagsAsync(connection, transaction, "version_tags", "version_id", versionId, update.RemoveTags, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return await LoadVersionAsync(connection, name, version, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
        }
    }

    private static void CheckRegistration(ModelVersionRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ModelUri.ThrowIfInvalidName(registration.Name, nameof(registration));
        ArgumentNullException.ThrowIfNull(registration.Files, nameof(registration));
        RegistryArguments.Lineage(registration.Lineage, nameof(registration));
        RegistryArguments.Tags(registration.Tags, nameof(registration));
    }

    /// <summary>Returns the base model pinned to a version number (an alias is resolved now, so the lineage never moves).</summary>
    private async Task<ModelUri?> PinBaseModelAsync(ModelUri? baseModel, CancellationToken cancellationToken)
    {
        if (baseModel is null)
        {
            return null;
        }

        var resolved = await ResolveAsync(baseModel, cancellationToken).ConfigureAwait(false);
        return resolved.Uri;
    }

    private async Task<List<ModelArtifact>> ImportAsync(IReadOnlyList<ModelArtifactSource> files, CancellationToken cancellationToken)
    {
        var artifacts = new List<ModelArtifact>(files.Count);
        foreach (var file in files)
        {
            artifacts.Add(await _store.ImportAsync(file, cancellationToken).ConfigureAwait(false));
        }

        artifacts.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        return artifacts;
    }

    /// <summary>Takes the model's next version number and records the version with everything it carries, in one transaction.</summary>
    private async Task<ModelVersion> InsertVersionAsync(ModelVersionRegistration registration, ModelUri? baseModel, ModelVersionStatus status, List<ModelArtifact> artifacts, string? digest, CancellationToken cancellationToken)
    {
        var name = registration.Name;
        var lineage = registration.Lineage with { BaseModel = baseModel };
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var now = Now();
                await RegistryDb.ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO models (name, description, latest_version, created_at, updated_at) VALUES (@name, NULL, 0, @now, @now) ON CONFLICT (name) DO NOTHING",
                    cancellationToken,
                    ("@name", name),
                    ("@now", now)).ConfigureAwait(false);

                // The row update serializes concurrent registrations of one model (a row lock in PostgreSQL, the write lock in SQLite).
                var number = Convert.ToInt32(
                    await RegistryDb.ScalarAsync(
                        connection,
                        transaction,
                        "UPDATE models SET latest_version = latest_version + 1, updated_at = @now WHERE name = @name RETURNING latest_version",
                        cancellationToken,
                        ("@now", now),
                        ("@name", name)).ConfigureAwait(false),
                    CultureInfo.InvariantCulture);
                var id = Convert.ToInt64(
                    await RegistryDb.ScalarAsync(
                        connection,
                        transaction,
                        "INSERT INTO versions (model, version, status, status_message, description, digest, base_model, base_model_source, training_run_id, parameters, metrics, created_at, updated_at) " +
                        "VALUES (@name, @version, @status, NULL, @description, @digest, @base, @baseSource, @run, @parameters, @metrics, @now, @now) RETURNING id",
                        cancellationToken,
                        ("@name", name),
                        ("@version", number),
                        ("@status", (int)status),
                        ("@description", string.IsNullOrEmpty(registration.Description) ? null : registration.Description),
                        ("@digest", digest),
                        ("@base", baseModel?.ToString()),
                        ("@baseSource", lineage.BaseModelSource),
                        ("@run", lineage.TrainingRunId),
                        ("@parameters", RegistryJson.Write(lineage.Parameters)),
                        ("@metrics", RegistryJson.Write(lineage.Metrics)),
                        ("@now", now)).ConfigureAwait(false),
                    CultureInfo.InvariantCulture);
                await UpsertTagsAsync(connection, transaction, "version_tags", "version_id", id, registration.Tags, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < lineage.Datasets.Count; i++)
                {
                    var dataset = lineage.Datasets[i];
                    await RegistryDb.ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO version_datasets (version_id, position, name, version, fingerprint) VALUES (@id, @position, @name, @version, @fingerprint)",
                        cancellationToken,
                        ("@id", id),
                        ("@position", i),
                        ("@name", dataset.Name),
                        ("@version", dataset.Version),
                        ("@fingerprint", dataset.Fingerprint)).ConfigureAwait(false);
                }

                await InsertArtifactsAsync(connection, transaction, id, artifacts, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

                var created = DateTimeOffset.FromUnixTimeMilliseconds(now);
                return new ModelVersion
                {
                    Name = name,
                    Version = number,
                    Status = status,
                    Description = string.IsNullOrEmpty(registration.Description) ? null : registration.Description,
                    Tags = new Dictionary<string, string>(registration.Tags, StringComparer.Ordinal),
                    Lineage = lineage,
                    Artifacts = artifacts,
                    Digest = digest,
                    CreatedAt = created,
                    UpdatedAt = created,
                };
            }
        }
    }

    private static async Task InsertArtifactsAsync(DbConnection connection, DbTransaction transaction, long versionId, List<ModelArtifact> artifacts, CancellationToken cancellationToken)
    {
        foreach (var artifact in artifacts)
        {
            await RegistryDb.ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO artifacts (version_id, path, sha256, size) VALUES (@id, @path, @sha256, @size)",
                cancellationToken,
                ("@id", versionId),
                ("@path", artifact.Path),
                ("@sha256", artifact.Sha256),
                ("@size", artifact.Size)).ConfigureAwait(false);
        }
    }

    /// <summary>Moves a pending version to another status; throws when it does not exist or is not pending.</summary>
    private async Task<(long Id, string Metrics)> FinishPendingAsync(DbConnection connection, DbTransaction transaction, string name, int version, string assignments, (string, object?)[] values, CancellationToken cancellationToken)
    {
        await using (var command = RegistryDb.Command(connection, transaction, $"UPDATE versions SET {assignments} WHERE model = @name AND version = @version AND status = 0 RETURNING id, metrics"))
        {
            command.With("@name", name).With("@version", version);
            foreach (var (parameter, value) in values)
            {
                command.With(parameter, value);
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (RegistryDb.GetLong(reader, 0), reader.GetString(1));
                }
            }
        }

        var status = await RegistryDb.ScalarAsync(
            connection,
            transaction,
            "SELECT status FROM versions WHERE model = @name AND version = @version",
            cancellationToken,
            ("@name", name),
            ("@version", version)).ConfigureAwait(false);
        if (status is null)
        {
            throw new ModelNotFoundException(NotFoundVersionMessage(name, version), name, version, null);
        }

        throw NotPending(name, version, (ModelVersionStatus)Convert.ToInt32(status, CultureInfo.InvariantCulture));
    }

    private static ModelRegistryException NotPending(string name, int version, ModelVersionStatus status) => new(
        $"{ModelUri.ForVersion(name, version)} is {status.ToString().ToLowerInvariant()}, not pending: only a version reserved with BeginVersionAsync can be completed or failed, once.");
}
