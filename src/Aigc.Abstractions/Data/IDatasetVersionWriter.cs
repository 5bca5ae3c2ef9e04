namespace Aigc;

/// <summary>
/// Writes one new dataset version. Nothing is visible in the store until <see cref="CommitAsync"/>: the version
/// is written to a temporary folder and renamed into place. Disposing without committing discards it.
/// </summary>
public interface IDatasetVersionWriter : IAsyncDisposable
{
    /// <summary>Writes a kept record to a split.</summary>
    /// <param name="record">The record.</param>
    /// <param name="split">The split name (<c>train</c>, <c>validation</c>, <c>test</c>), or <c>all</c> when the version is not split.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is buffered.</returns>
    ValueTask WriteAsync(DataRecord record, string split, CancellationToken cancellationToken = default);

    /// <summary>Writes a dropped record, with its reason, to the version's <c>rejects.jsonl</c>.</summary>
    /// <param name="rejected">The rejected record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is buffered.</returns>
    ValueTask RejectAsync(RejectedRecord rejected, CancellationToken cancellationToken = default);

    /// <summary>Adds a JSON report (for example a deduplication cluster report) as <c>reports/&lt;name&gt;.json</c>.</summary>
    /// <param name="name">The report name: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
    /// <param name="json">The report as UTF-8 JSON.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the report is written.</returns>
    Task WriteReportAsync(string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes the version: flushes the files, writes <c>manifest.json</c> and moves the folder into the store
    /// under the next version number.
    /// </summary>
    /// <param name="counts">The record counts (they must reconcile).</param>
    /// <param name="counters">Named counters the steps reported.</param>
    /// <param name="steps">The steps with their final counts, replacing those of the request when given.</param>
    /// <param name="cancellationToken">Cancels the commit before the folder is moved.</param>
    /// <returns>The stored version's manifest.</returns>
    Task<DatasetManifest> CommitAsync(
        DatasetCounts counts,
        IReadOnlyDictionary<string, long>? counters = null,
        IReadOnlyList<DatasetStepInfo>? steps = null,
        CancellationToken cancellationToken = default);
}
