namespace Aigc.Data;

/// <summary>Progress of a running <see cref="DataPipeline"/>.</summary>
/// <param name="RecordsRead">Records read from the source so far (including those the reader rejected).</param>
/// <param name="RecordsWritten">Records written to the new version so far.</param>
/// <param name="RecordsDropped">Records rejected or removed as duplicates so far.</param>
/// <param name="Elapsed">Time since the run started.</param>
public readonly record struct DataPipelineProgress(long RecordsRead, long RecordsWritten, long RecordsDropped, TimeSpan Elapsed);
