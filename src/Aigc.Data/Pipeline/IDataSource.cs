namespace Aigc.Data;

/// <summary>
/// Where a <see cref="DataPipeline"/> reads its records: a file in a supported format mapped to a record schema,
/// a stored dataset version, or records in memory.
/// </summary>
public interface IDataSource
{
    /// <summary>Gets the identifier recorded as the reader's step id in rejects, for example <c>read.jsonl</c>.</summary>
    string Id { get; }

    /// <summary>Gets the schema of the records the source yields.</summary>
    RecordKind Kind { get; }

    /// <summary>Gets the stored dataset versions the source reads, for lineage (empty for files).</summary>
    IReadOnlyList<DatasetReference> Parents { get; }

    /// <summary>
    /// Computes the source's fingerprint: a hash of its content and of the settings that map it to records, so
    /// a changed file or mapping gives a new fingerprint.
    /// </summary>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The fingerprint, as lowercase hex.</returns>
    ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the records, streaming. Record-level problems (a malformed line, a field of the wrong type) are
    /// reported through <see cref="DataStepContext.RejectRaw"/> and reading goes on; file-level problems throw
    /// <see cref="DataFileException"/>.
    /// </summary>
    /// <param name="context">The reader's context.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, CancellationToken cancellationToken = default);
}
