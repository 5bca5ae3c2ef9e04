using System.Collections.Concurrent;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// What a reader or step reports to while it runs: rejected records (with reasons), duplicates, named counters
/// and JSON reports. The pipeline creates one per step; tests create one directly. Thread-safe.
/// </summary>
public sealed class DataStepContext
{
    private readonly Action<RejectedRecord>? _rejectSink;
    private readonly ConcurrentQueue<RejectedRecord> _rejects = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReadOnlyMemory<byte>> _reports = new(StringComparer.Ordinal);
    private long _rejected;
    private long _duplicates;
    private long _added;

    /// <summary>Initializes a context for one step.</summary>
    /// <param name="stepId">The id of the step (recorded with each reject).</param>
    /// <param name="rejectSink">
    /// Receives each dropped record (rejected or duplicate) as it happens; when <see langword="null"/>, they are kept in <see cref="Rejects"/>.
    /// </param>
    /// <param name="seed">The seed seedable steps use.</param>
    /// <param name="tempDirectory">A folder for spill files; a new folder under the system temp folder when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="stepId"/> is null or empty.</exception>
    public DataStepContext(string stepId, Action<RejectedRecord>? rejectSink = null, int seed = 42, string? tempDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        StepId = stepId;
        _rejectSink = rejectSink;
        Seed = seed;
        TempDirectory = tempDirectory ?? Path.Combine(Path.GetTempPath(), "aigc-data");
    }

    /// <summary>Gets the id of the step this context belongs to.</summary>
    public string StepId { get; }

    /// <summary>Gets the seed seedable steps use (the pipeline's seed unless the step has its own).</summary>
    public int Seed { get; }

    /// <summary>Gets a folder the step may write spill files to (created on demand by the step).</summary>
    public string TempDirectory { get; }

    /// <summary>Gets how many records this step rejected.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Gets how many records this step dropped as duplicates.</summary>
    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    /// <summary>Gets how many records this step created (augmented copies, for example).</summary>
    public long AddedCount => Interlocked.Read(ref _added);

    /// <summary>Gets the dropped records (rejected, and duplicates with <see cref="RejectedRecord.Duplicate"/>), when the context was created without a reject sink.</summary>
    public IReadOnlyCollection<RejectedRecord> Rejects => _rejects;

    /// <summary>Gets the named counters reported so far.</summary>
    public IReadOnlyDictionary<string, long> Counters => _counters;

    /// <summary>Gets the JSON reports added so far, by name.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Reports => _reports;

    /// <summary>Rejects a parsed record: it is written to the rejects file with the reason and its original form.</summary>
    /// <param name="record">The record.</param>
    /// <param name="reason">Why it was rejected.</param>
    public void Reject(DataRecord record, string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Emit(WithSource(new RejectedRecord(StepId, reason, DataRecordJson.Serialize(record)), record));
    }

    /// <summary>Rejects input that never became a record (a malformed line, a row with a wrong field type).</summary>
    /// <param name="original">The original text of the line or row.</param>
    /// <param name="reason">Why it was rejected.</param>
    /// <param name="source">Where it was read.</param>
    public void RejectRaw(string original, string reason, RecordSource? source)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Emit(new RejectedRecord(StepId, reason, original) { SourceFile = source?.File, Line = source?.Line });
    }

    /// <summary>
    /// Drops a record as a duplicate: it is counted as deduplicated (not rejected) and written with the rejects, its
    /// original form and the survivor's id, so nothing a pipeline drops is lost.
    /// </summary>
    /// <param name="record">The dropped record.</param>
    /// <param name="survivorId">The id of the record kept in its place, when known.</param>
    public void MarkDuplicate(DataRecord record, string? survivorId)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Increment(ref _duplicates);
        Deliver(WithSource(RejectedRecord.ForDuplicate(StepId, DataRecordJson.Serialize(record), survivorId), record));
    }


    /// <summary>
    /// Counts records the step created in addition to those it received (augmented copies), so the dataset counts
    /// reconcile: <c>in + added = kept + rejected + deduplicated</c>.
    /// </summary>
    /// <param name="count">How many records were created.</param>
    public void MarkAdded(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Add(ref _added, count);
    }

    /// <summary>Adds to a named counter (recorded in the manifest, for example <c>pii.email</c>).</summary>
    /// <param name="name">The counter name.</param>
    /// <param name="by">The amount to add.</param>
    public void Increment(string name, long by = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _counters.AddOrUpdate(name, by, (_, current) => current + by);
    }

    /// <summary>Adds a report, serialized as JSON and stored as <c>reports/&lt;name&gt;.json</c> in the dataset version.</summary>
    /// <typeparam name="T">The report type.</typeparam>
    /// <param name="name">The report name.</param>
    /// <param name="report">The report.</param>
    public void AddReport<T>(string name, T report)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _reports[name] = JsonSerializer.SerializeToUtf8Bytes(report, DataRecordJson.ReportOptions);
    }

    private static RejectedRecord WithSource(RejectedRecord dropped, DataRecord record) =>
        dropped with { SourceFile = record.Source?.File, Line = record.Source?.Line, RecordId = record.Id };

    private void Emit(RejectedRecord rejected)
    {
        Interlocked.Increment(ref _rejected);
        Deliver(rejected);
    }

    private void Deliver(RejectedRecord rejected)
    {
        if (_rejectSink is null)
        {
            _rejects.Enqueue(rejected);
        }
        else
        {
            _rejectSink(rejected);
        }
    }
}
