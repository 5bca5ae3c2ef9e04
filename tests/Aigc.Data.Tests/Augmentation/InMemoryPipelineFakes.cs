using System.Runtime.CompilerServices;
using Aigc.Data;

namespace Aigc.Data.Tests.Augmentation;

/// <summary>A source over records in memory.</summary>
internal sealed class InMemorySource(RecordKind kind, IReadOnlyList<DataRecord> records) : IDataSource
{
    public string Id => "read.memory";

    public RecordKind Kind => kind;

    public IReadOnlyList<DatasetReference> Parents => [];

    public ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(DatasetFingerprint.HashText(string.Join('\n', records.Select(DataRecordJson.Serialize))));

    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            await Task.Yield();
            yield return record.Clone();
        }
    }
}

/// <summary>A store that keeps the last written version in memory.</summary>
internal sealed class InMemoryDatasetStore : IDatasetStore
{
    public List<DataRecord> Written { get; } = [];

    public List<RejectedRecord> Rejected { get; } = [];

    public Task<IDatasetVersionWriter> BeginWriteAsync(DatasetVersionRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<IDatasetVersionWriter>(new Writer(this, request));

    public Task<DatasetManifest?> FindAsync(string name, string fingerprint, CancellationToken cancellationToken = default) => Task.FromResult<DatasetManifest?>(null);

    public Task<DatasetManifest?> GetAsync(string name, int? version = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<DatasetManifest> ListAsync(string? name = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<DataRecord> ReadAsync(string name, int version, string? split = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<RejectedRecord> ReadRejectsAsync(string name, int version, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    private sealed class Writer(InMemoryDatasetStore store, DatasetVersionRequest request) : IDatasetVersionWriter
    {
        public ValueTask WriteAsync(DataRecord record, string split, CancellationToken cancellationToken = default)
        {
            store.Written.Add(record);
            return ValueTask.CompletedTask;
        }

        public ValueTask RejectAsync(RejectedRecord rejected, CancellationToken cancellationToken = default)
        {
            store.Rejected.Add(rejected);
            return ValueTask.CompletedTask;
        }

        public Task WriteReportAsync(string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<DatasetManifest> CommitAsync(DatasetCounts counts, IReadOnlyDictionary<string, long>? counters = null, IReadOnlyList<DatasetStepInfo>? steps = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new DatasetManifest
            {
                Name = request.Name,
                Version = 1,
                Fingerprint = request.Fingerprint,
                Kind = request.Kind,
                Counts = counts,
                Steps = steps ?? request.Steps,
                Counters = counters ?? new Dictionary<string, long>(),
            });

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
