namespace Aigc.Inference;

/// <summary>
/// The registry's tables (one script for both databases; <c>{identity}</c> and <c>{bigint}</c> are filled in per
/// dialect). Times are Unix milliseconds; parameters and metrics are JSON objects.
/// </summary>
internal static class RegistrySchema
{
    /// <summary>The schema version this code reads and writes.</summary>
    public const int Version = 1;

    public const string Script = """
        CREATE TABLE IF NOT EXISTS registry_info (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS models (
            name TEXT PRIMARY KEY,
            description TEXT,
            latest_version INTEGER NOT NULL DEFAULT 0,
            created_at {bigint} NOT NULL,
            updated_at {bigint} NOT NULL);
        CREATE TABLE IF NOT EXISTS model_tags (
            model TEXT NOT NULL REFERENCES models(name),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (model, key));
        CREATE TABLE IF NOT EXISTS versions (
            id {identity},
            model TEXT NOT NULL REFERENCES models(name),
            version INTEGER NOT NULL,
            status INTEGER NOT NULL,
            status_message TEXT,
            description TEXT,
            digest TEXT,
            base_model TEXT,
            base_model_source TEXT,
            training_run_id TEXT,
            parameters TEXT NOT NULL,
            metrics TEXT NOT NULL,
            created_at {bigint} NOT NULL,
            updated_at {bigint} NOT NULL,
            UNIQUE (model, version));
        CREATE INDEX IF NOT EXISTS versions_training_run ON versions (training_run_id);
        CREATE TABLE IF NOT EXISTS version_tags (
            version_id {bigint} NOT NULL REFERENCES versions(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (version_id, key));
        CREATE TABLE IF NOT EXISTS version_datasets (
            version_id {bigint} NOT NULL REFERENCES versions(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (version_id, position));
        CREATE INDEX IF NOT EXISTS version_datasets_name ON version_datasets (name, fingerprint);
        CREATE TABLE IF NOT EXISTS artifacts (
            version_id {bigint} NOT NULL REFERENCES versions(id),
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size {bigint} NOT NULL,
            PRIMARY KEY (version_id, path));
        CREATE INDEX IF NOT EXISTS artifacts_sha256 ON artifacts (sha256);
        CREATE TABLE IF NOT EXISTS aliases (
            model TEXT NOT NULL REFERENCES models(name),
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at {bigint} NOT NULL,
            PRIMARY KEY (model, alias));
        CREATE TABLE IF NOT EXISTS alias_events (
            id {identity},
            model TEXT NOT NULL,
            alias TEXT NOT NULL,
            version INTEGER,
            previous_version INTEGER,
            changed_at {bigint} NOT NULL);
        CREATE INDEX IF NOT EXISTS alias_events_model ON alias_events (model, id);
        INSERT INTO registry_info (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING;
        """;
}
