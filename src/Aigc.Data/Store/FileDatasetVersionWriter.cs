using System.Text.Json;

namespace Aigc.Data;

/// <summary>Writes one version of a <see cref="FileDatasetStore"/> into a staging folder, then renames it into place.</summary>
internal sealed class FileDatasetVersionWriter : IDatasetVersionWriter
{
    private const int MaxCommitAttempts = 1000;

    private readonly FileDatasetStore _store;
    private readonly DatasetVersionRequest _request;
    private readonly string _staging;
    private readonly DateTimeOffset _createdAt;
    private readonly Dictionary<string, SplitFile> _splits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _labels = new(StringComparer.Ordinal);
    private readonly JsonLinesFile _rejects;
    private bool _committed;

    public FileDatasetVersionWriter(FileDatasetStore store, DatasetVersionRequest request, string staging, DateTimeOffset createdAt)
    {
        _store = store;
        _request = request;
        _staging = staging;
        _createdAt = createdAt;
        _rejects = new JsonLinesFile(Path.Combine(staging, FileDatasetStore.RejectsFile));
    }

    public async ValueTask WriteAsync(DataRecord record, string split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        DatasetNames.Validate(split, nameof(split));
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfCommitted();
        if (record.Kind != _request.Kind)
        {
            throw new ArgumentException($"Record '{record.Id}' is a {record.Kind} record; dataset '{_request.Name}' holds {_request.Kind} records.", nameof(record));
        }

        if (!_splits.TryGetValue(split, out var file))
        {
            Directory.CreateDirectory(Path.Combine(_staging, "data"));
            file = new SplitFile(Path.Combine("data", split + ".jsonl"), new JsonlRecordWriter(Path.Combine(_staging, "data", split + ".jsonl")));
            _splits.Add(split, file);
        }

        await file.Lines.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        if (record.HasLabels)
        {
            foreach (var (set, label) in record.Labels)
            {
                if (!_labels.TryGetValue(set, out var distribution))
                {
                    _labels[set] = distribution = new Dictionary<string, long>(StringComparer.Ordinal);
                }

                distribution[label] = distribution.GetValueOrDefault(label) + 1;
            }
        }
    }

    public ValueTask RejectAsync(RejectedRecord rejected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfCommitted();
        JsonSerializer.Serialize(_rejects.Writer, rejected, DatasetStoreJson.LineOptions);
        _rejects.EndLine();
        return ValueTask.CompletedTask;
    }

    public async Task WriteReportAsync(string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
    {
        DatasetNames.Validate(name, nameof(name));
        ThrowIfCommitted();
        var directory = Path.Combine(_staging, "reports");
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, name + ".json"), json, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetManifest> CommitAsync(
        DatasetCounts counts,
        IReadOnlyDictionary<string, long>? counters = null,
        IReadOnlyList<DatasetStepInfo>? steps = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ThrowIfCommitted();
        var kept = _splits.Values.Sum(s => s.Lines.Count);
        if (counts.Kept != kept)
        {
            throw new ArgumentException($"The counts say {counts.Kept} records were kept, but {kept} were written.", nameof(counts));
        }

        if (!counts.Reconciles)
        {
            throw new ArgumentException(
                $"The counts do not reconcile: in {counts.In} + added {counts.Added} != kept {counts.Kept} + rejected {counts.Rejected} + deduplicated {counts.Deduplicated}.",
                nameof(counts));
        }

        foreach (var split in _splits.Values)
        {
            await split.Lines.DisposeAsync().ConfigureAwait(false);
        }

        _rejects.Dispose();
        var datasetDirectory = Path.GetDirectoryName(_staging)!;
        for (var attempt = 0; attempt < MaxCommitAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = _store.NextVersion(_request.Name);
            var manifest = new DatasetManifest
            {
                Name = _request.Name,
                Version = version,
                Fingerprint = _request.Fingerprint,
                Kind = _request.Kind,
                CreatedAt = _createdAt,
                Counts = counts,
                Steps = steps ?? _request.Steps,
                Parents = _request.Parents,
                Files = _splits.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value.RelativePath.Replace('\\', '/')),
                Splits = _splits.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value.Lines.Count),
                Counters = counters ?? new Dictionary<string, long>(),
                Labels = _labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(
                    l => l.Key,
                    l => (IReadOnlyDictionary<string, long>)l.Value.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.Value)),
                Metadata = _request.Metadata,
            };
            await using (var stream = File.Create(Path.Combine(_staging, FileDatasetStore.ManifestFile)))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, DatasetStoreJson.Options, CancellationToken.None).ConfigureAwait(false);
            }

            var target = _store.GetVersionDirectory(_request.Name, version);
            try
            {
                Directory.Move(_staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                continue; // another writer took this number first: take the next one
            }

            _committed = true;
            return manifest;
        }

        throw new IOException($"Could not commit a version of dataset '{_request.Name}' under '{datasetDirectory}' after {MaxCommitAttempts} attempts.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            foreach (var split in _splits.Values)
            {
                await split.Lines.DisposeAsync().ConfigureAwait(false);
            }

            _rejects.Dispose();
            if (Directory.Exists(_staging))
            {
                Directory.Delete(_staging, recursive: true);
            }

            _committed = true;
        }
    }

    private void ThrowIfCommitted() =>
        ObjectDisposedException.ThrowIf(_committed, this);

    private sealed class SplitFile(string relativePath, JsonlRecordWriter lines)
    {
        public string RelativePath { get; } = relativePath;

        public JsonlRecordWriter Lines { get; } = lines;
    }
}
