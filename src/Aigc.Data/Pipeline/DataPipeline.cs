using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Aigc.Data;

/// <summary>
/// A reproducible dataset build: a source, then steps in order, optionally a splitter, written as a new version
/// to an <see cref="IDatasetStore"/>. The run streams (memory stays bounded by what the steps hold), sends every
/// dropped record to the version's rejects file with its reason, and reconciles the counts
/// (<c>in + added = kept + rejected + deduplicated</c>). A pipeline whose fingerprint matches a stored version reuses it.
/// </summary>
public sealed class DataPipeline
{
    private readonly List<IDataStep> _steps = [];

    /// <summary>Initializes a pipeline that writes versions of the dataset <paramref name="name"/>.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="source">Where the records come from.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public DataPipeline(string name, IDataSource source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(source);
        Name = name;
        Source = source;
    }

    /// <summary>Gets the dataset name.</summary>
    public string Name { get; }

    /// <summary>Gets the source.</summary>
    public IDataSource Source { get; }

    /// <summary>Gets the steps, in order.</summary>
    public IReadOnlyList<IDataStep> Steps => _steps;

    /// <summary>Gets or sets the splitter; without one every record goes to the split <c>all</c>.</summary>
    public IRecordSplitter? Splitter { get; set; }

    /// <summary>Gets or sets the seed handed to the steps.</summary>
    /// <value>The default value is <c>42</c>.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets metadata recorded in the manifest.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();

    /// <summary>Appends a step.</summary>
    /// <param name="step">The step.</param>
    /// <returns>This pipeline, for chaining.</returns>
    public DataPipeline Add(IDataStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add(step);
        return this;
    }

    /// <summary>Sets the splitter.</summary>
    /// <param name="splitter">The splitter.</param>
    /// <returns>This pipeline, for chaining.</returns>
    public DataPipeline SplitWith(IRecordSplitter splitter)
    {
        Splitter = splitter ?? throw new ArgumentNullException(nameof(splitter));
        return this;
    }

    /// <summary>Computes the fingerprint of the version this pipeline produces: the source's, chained through each step and the splitter.</summary>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The fingerprint (lowercase hex SHA-256).</returns>
    public async ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default)
    {
        var sourceFingerprint = await Source.ComputeFingerprintAsync(cancellationToken).ConfigureAwait(false);
        var fingerprint = DatasetFingerprint.Combine(string.Empty, Source.Id, 1, new StepParameters().Add("content", sourceFingerprint).Add("kind", Source.Kind.ToString()).Add("seed", Seed));
        foreach (var step in _steps)
        {
            fingerprint = DatasetFingerprint.Next(fingerprint, step);
        }

        if (Splitter is not null)
        {
            fingerprint = DatasetFingerprint.Combine(fingerprint, Splitter.Id, Splitter.Version, Splitter.Parameters);
        }

        return fingerprint;
    }

    /// <summary>
    /// Runs the pipeline into <paramref name="store"/>, or returns the stored version with the same fingerprint.
    /// </summary>
    /// <param name="store">The dataset store.</param>
    /// <param name="progress">Receives progress about every 10,000 records and at the end.</param>
    /// <param name="force">Run even when a version with the same fingerprint exists.</param>
    /// <param name="cancellationToken">Cancels the run; nothing is stored.</param>
    /// <returns>The version and whether it was reused.</returns>
    /// <exception cref="DataFileException">A source file cannot be read as a whole.</exception>
    public async Task<DataPipelineResult> RunAsync(
        IDatasetStore store,
        IProgress<DataPipelineProgress>? progress = null,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var activity = DataTelemetry.Source.StartActivity(DataTelemetry.PipelineRun + " " + Name);
        activity?.SetTag(DataTelemetry.DatasetName, Name);
        try
        {
            var result = await RunCoreAsync(store, progress, force, activity, cancellationToken).ConfigureAwait(false);
            if (activity is not null)
            {
                activity.SetTag(DataTelemetry.DatasetVersion, result.Manifest.Version);
                activity.SetTag(DataTelemetry.Reused, result.Reused);
                activity.SetTag(DataTelemetry.Kept, result.Manifest.Counts.Kept);
                activity.SetTag(DataTelemetry.Rejected, result.Manifest.Counts.Rejected);
                activity.SetTag(DataTelemetry.Deduplicated, result.Manifest.Counts.Deduplicated);
                foreach (var step in result.Manifest.Steps)
                {
                    activity.AddEvent(new ActivityEvent(DataTelemetry.StepEvent, tags: new ActivityTagsCollection
                    {
                        ["aigc.data.step.id"] = step.Id,
                        ["aigc.data.step.version"] = step.Version,
                        ["aigc.data.step.in"] = step.In,
                        ["aigc.data.step.out"] = step.Out,
                        ["aigc.data.step.rejected"] = step.Rejected,
                        ["aigc.data.step.deduplicated"] = step.Deduplicated,
                    }));
                }
            }

            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.SetTag("error.type", e.GetType().FullName);
            throw;
        }
    }

    private async Task<DataPipelineResult> RunCoreAsync(IDatasetStore store, IProgress<DataPipelineProgress>? progress, bool force, Activity? activity, CancellationToken cancellationToken)
    {
        var fingerprint = await ComputeFingerprintAsync(cancellationToken).ConfigureAwait(false);
        activity?.SetTag(DataTelemetry.Fingerprint, fingerprint);
        if (!force && await store.FindAsync(Name, fingerprint, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new DataPipelineResult(existing, Reused: true);
        }

        var rejects = new ConcurrentQueue<RejectedRecord>();
        var readerContext = new DataStepContext(Source.Id, rejects.Enqueue, Seed);
        var stepContexts = new DataStepContext[_steps.Count];
        var counters = new StepCounter[_steps.Count + 1];
        var request = new DatasetVersionRequest
        {
            Name = Name,
            Fingerprint = fingerprint,
            Kind = Source.Kind,
            Steps = DescribeSteps(counters: null, stepContexts: null),
            Parents = Source.Parents,
            Metadata = Metadata,
        };

        var writer = await store.BeginWriteAsync(request, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            counters[0] = new StepCounter();
            IAsyncEnumerable<DataRecord> stream = Count(Source.ReadAsync(readerContext, cancellationToken), counters[0]);
            for (var i = 0; i < _steps.Count; i++)
            {
                stepContexts[i] = new DataStepContext(_steps[i].Id, rejects.Enqueue, Seed);
                counters[i + 1] = new StepCounter();
                stream = Count(_steps[i].ExecuteAsync(stream, stepContexts[i], cancellationToken), counters[i + 1]);
            }

            var clock = Stopwatch.StartNew();
            long written = 0;
            await foreach (var record in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await DrainAsync(rejects, writer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(record, Splitter?.GetSplit(record) ?? "all", cancellationToken).ConfigureAwait(false);
                if (++written % 10_000 == 0)
                {
                    progress?.Report(Snapshot(readerContext, stepContexts, counters, written, clock.Elapsed));
                }
            }

            await DrainAsync(rejects, writer, cancellationToken).ConfigureAwait(false);
            progress?.Report(Snapshot(readerContext, stepContexts, counters, written, clock.Elapsed));

            var allContexts = stepContexts.Prepend(readerContext).ToList();
            foreach (var context in allContexts)
            {
                foreach (var (name, json) in context.Reports)
                {
                    await writer.WriteReportAsync(name, json, cancellationToken).ConfigureAwait(false);
                }
            }

            var counts = new DatasetCounts
            {
                In = counters[0].Out + readerContext.RejectedCount,
                Kept = written,
                Rejected = allContexts.Sum(c => c.RejectedCount),
                Deduplicated = allContexts.Sum(c => c.DuplicateCount),
                Added = allContexts.Sum(c => c.AddedCount),
            };
            if (!counts.Reconciles)
            {
                throw new InvalidOperationException(
                    $"The counts of dataset '{Name}' do not reconcile: in {counts.In} + added {counts.Added} != kept {counts.Kept} + rejected {counts.Rejected} + deduplicated {counts.Deduplicated}. " +
                    "A step dropped records without rejecting them or marking them as duplicates.");
            }

            var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var context in allContexts)
            {
                foreach (var (name, value) in context.Counters)
                {
                    merged[name] = merged.GetValueOrDefault(name) + value;
                }
            }

            var manifest = await writer.CommitAsync(counts, merged, DescribeSteps(counters, stepContexts), cancellationToken).ConfigureAwait(false);
            return new DataPipelineResult(manifest, Reused: false);
        }
    }

    private List<DatasetStepInfo> DescribeSteps(StepCounter[]? counters, DataStepContext[]? stepContexts)
    {
        var steps = new List<DatasetStepInfo>(_steps.Count + 1);
        for (var i = 0; i < _steps.Count; i++)
        {
            var step = _steps[i];
            steps.Add(new DatasetStepInfo(step.Id, step.Version, new StepParameters().AddAll(step.Parameters))
            {
                In = counters?[i].Out ?? 0,
                Out = counters?[i + 1].Out ?? 0,
                Rejected = stepContexts?[i].RejectedCount ?? 0,
                Deduplicated = stepContexts?[i].DuplicateCount ?? 0,
                Added = stepContexts?[i].AddedCount ?? 0,
            });
        }

        if (Splitter is not null)
        {
            steps.Add(new DatasetStepInfo(Splitter.Id, Splitter.Version, new StepParameters().AddAll(Splitter.Parameters))
            {
                In = counters?[^1].Out ?? 0,
                Out = counters?[^1].Out ?? 0,
            });
        }

        return steps;
    }

    private static DataPipelineProgress Snapshot(DataStepContext reader, DataStepContext[] steps, StepCounter[] counters, long written, TimeSpan elapsed)
    {
        var dropped = reader.RejectedCount;
        foreach (var context in steps)
        {
            dropped += context.RejectedCount + context.DuplicateCount;
        }

        return new DataPipelineProgress(counters[0].Out + reader.RejectedCount, written, dropped, elapsed);
    }

    private static async ValueTask DrainAsync(ConcurrentQueue<RejectedRecord> rejects, IDatasetVersionWriter writer, CancellationToken cancellationToken)
    {
        while (rejects.TryDequeue(out var rejected))
        {
            await writer.RejectAsync(rejected, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<DataRecord> Count(IAsyncEnumerable<DataRecord> records, StepCounter counter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            counter.Out++;
            yield return record;
        }
    }

    private sealed class StepCounter
    {
        public long Out;
    }
}
