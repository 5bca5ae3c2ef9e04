namespace Aigc;

/// <summary>Where a record came from: the source file and its 1-based line (JSONL, CSV) or row (Parquet).</summary>
/// <param name="File">The source file path, as given to the reader.</param>
/// <param name="Line">The 1-based line or row number in <paramref name="File"/>.</param>
public readonly record struct RecordSource(string File, long Line);
