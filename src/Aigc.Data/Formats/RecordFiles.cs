namespace Aigc.Data;

/// <summary>Writes records to dataset files, choosing the format by the file extension.</summary>
public static class RecordFiles
{
    /// <summary>Gets the file extensions <see cref="CreateWriter"/> recognises.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".jsonl", ".json", ".csv", ".parquet"];

    /// <summary>
    /// Creates a writer for a file by its extension: <c>.jsonl</c> and <c>.json</c> (JSON Lines,
    /// <see cref="JsonlRecordWriter"/>), <c>.csv</c> (<see cref="CsvRecordWriter"/>) or <c>.parquet</c>
    /// (<see cref="ParquetRecordWriter"/>).
    /// </summary>
    /// <param name="path">The file, created or overwritten.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or its extension is not supported.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public static IRecordWriter CreateWriter(string path, RecordKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Format(path) switch
        {
            ".csv" => new CsvRecordWriter(path, kind),
            ".parquet" => new ParquetRecordWriter(path, kind),
            _ => new JsonlRecordWriter(path),
        };
    }

    /// <summary>
    /// Writes a stream of records to a file chosen by extension (see <see cref="CreateWriter"/>). The file is written
    /// under a temporary name and moved into place once complete, so a failed or cancelled write leaves no partial file.
    /// </summary>
    /// <param name="records">The records.</param>
    /// <param name="path">The file, created or overwritten.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many records were written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty or has an unsupported extension, or a record is not of <paramref name="kind"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public static async Task<long> WriteAsync(IAsyncEnumerable<DataRecord> records, string path, RecordKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = Format(path);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        long count = 0;
        try
        {
            var writer = format switch
            {
                ".csv" => (IRecordWriter)new CsvRecordWriter(temporary, kind),
                ".parquet" => new ParquetRecordWriter(temporary, kind),
                _ => new JsonlRecordWriter(temporary),
            };
            await using (writer.ConfigureAwait(false))
            {
                await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    CanonicalColumns.CheckKind(record, kind);
                    await writer.WriteAsync(record, cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }

            File.Move(temporary, path, overwrite: true);
            return count;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static string Format(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".jsonl" or ".json" or ".csv" or ".parquet"
            ? extension
            : throw new ArgumentException(
                $"The file '{path}' has the extension '{extension}', which is not a supported dataset format. Supported extensions: {string.Join(", ", SupportedExtensions)}.",
                nameof(path));
    }
}
