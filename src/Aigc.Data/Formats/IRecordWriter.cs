namespace Aigc.Data;

/// <summary>
/// Writes records to a dataset file, one at a time. Disposing flushes and closes the file; a writer must be
/// disposed for the file to be complete.
/// </summary>
public interface IRecordWriter : IAsyncDisposable
{
    /// <summary>Writes one record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is buffered or written.</returns>
    ValueTask WriteAsync(DataRecord record, CancellationToken cancellationToken = default);
}
