namespace Aigc.Data;

/// <summary>Creates pipeline sources: files by format (or by extension), records in memory, and stored dataset versions.</summary>
public static class DataSources
{
    /// <summary>Gets the file extensions <see cref="FromFile"/> recognises.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".jsonl", ".json", ".csv", ".parquet"];

    /// <summary>Creates a JSON Lines source.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each object maps to a record.</param>
    /// <param name="maxRecordBytes">The longest line accepted, in bytes.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordBytes"/> is out of range.</exception>
    public static JsonlSource Jsonl(string path, RecordSchema schema, int maxRecordBytes = JsonlSource.DefaultMaxRecordBytes) => new(path, schema, maxRecordBytes);

    /// <summary>Creates a CSV source.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each row maps to a record.</param>
    /// <param name="delimiter">The field delimiter.</param>
    /// <param name="hasHeader">Whether the first row names the columns.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or <paramref name="delimiter"/> is not allowed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public static CsvSource Csv(string path, RecordSchema schema, char delimiter = ',', bool hasHeader = true) => new(path, schema, delimiter, hasHeader);

    /// <summary>Creates a Parquet source.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each row maps to a record.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public static ParquetSource Parquet(string path, RecordSchema schema) => new(path, schema);

    /// <summary>
    /// Creates a source for a file by its extension: <c>.jsonl</c> and <c>.json</c> (JSON Lines), <c>.csv</c> (comma
    /// separated, with a header) or <c>.parquet</c>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each record maps.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or its extension is not supported.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public static IDataSource FromFile(string path, RecordSchema schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".jsonl" or ".json" => Jsonl(path, schema),
            ".csv" => Csv(path, schema),
            ".parquet" => Parquet(path, schema),
            _ => throw new ArgumentException(
                $"The file '{path}' has the extension '{extension}', which is not a supported dataset format. Supported extensions: {string.Join(", ", SupportedExtensions)}. Use DataSources.Jsonl, Csv or Parquet to read a file with another name.",
                nameof(path)),
        };
    }

    /// <summary>Creates a source over records in memory.</summary>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="records">The records.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public static InMemorySource InMemory(RecordKind kind, IEnumerable<DataRecord> records) => new(kind, records);

    /// <summary>Creates a source over a stored dataset version.</summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number, or <see langword="null"/> for the newest.</param>
    /// <param name="split">A split to read, or <see langword="null"/> for every split.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty, or the version has no such split.</exception>
    /// <exception cref="InvalidOperationException">The store has no such version.</exception>
    public static Task<DatasetVersionSource> DatasetVersionAsync(IDatasetStore store, string name, int? version = null, string? split = null, CancellationToken cancellationToken = default) =>
        DatasetVersionSource.OpenAsync(store, name, version, split, cancellationToken);
}
