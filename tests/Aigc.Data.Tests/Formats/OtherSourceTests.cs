using System.Runtime.CompilerServices;

namespace Aigc.Data.Tests.Formats;

public sealed class OtherSourceTests
{
    [Fact]
    public async Task InMemory_yields_copies_and_rejects_records_of_another_kind()
    {
        var text = DataRecord.CreateText("t", "hello");
        var chat = DataRecord.CreateChat("c", ("user", "x"));
        var source = DataSources.InMemory(RecordKind.Text, [text, chat]);

        var (records, rejects) = await Read.AllAsync(source);

        var copy = Assert.Single(records);
        Assert.NotSame(text, copy);
        RecordAssert.Equal(text, copy);
        copy.Fields[0].Value = "changed";
        Assert.Equal("hello", text.GetField("text"));
        var reject = Assert.Single(rejects);
        Assert.Equal("read.memory", reject.Step);
        Assert.Equal("the record is of kind Chat, not Text like the source", reject.Reason);
    }

    [Fact]
    public async Task InMemory_fingerprint_follows_the_records()
    {
        var a = await DataSources.InMemory(RecordKind.Text, [DataRecord.CreateText("1", "a")]).ComputeFingerprintAsync();

        Assert.Equal(a, await DataSources.InMemory(RecordKind.Text, [DataRecord.CreateText("1", "a")]).ComputeFingerprintAsync());
        Assert.NotEqual(a, await DataSources.InMemory(RecordKind.Text, [DataRecord.CreateText("1", "b")]).ComputeFingerprintAsync());
        Assert.NotEqual(a, await DataSources.InMemory(RecordKind.Text, [DataRecord.CreateText("2", "a")]).ComputeFingerprintAsync());
        Assert.NotEqual(a, await DataSources.InMemory(RecordKind.Text, []).ComputeFingerprintAsync());
    }

    [Fact]
    public async Task DatasetVersion_reads_a_stored_version_with_lineage_and_its_fingerprint()
    {
        var store = new FakeStore();
        var source = await DataSources.DatasetVersionAsync(store, "docs", 2);

        var (records, rejects) = await Read.AllAsync(source);

        Assert.Equal(RecordKind.Instruction, source.Kind);
        Assert.Equal("read.dataset", source.Id);
        Assert.Equal([new DatasetReference("docs", 2, "f2")], source.Parents);
        Assert.Equal("f2", await source.ComputeFingerprintAsync());
        Assert.Equal(["docs-2-train", "docs-2-test"], records.Select(r => r.Id));
        Assert.Empty(rejects);
        Assert.Equal(("docs", 2, (string?)null), store.LastRead);
    }

    [Fact]
    public async Task DatasetVersion_of_one_split_has_its_own_fingerprint()
    {
        var store = new FakeStore();
        var train = await DataSources.DatasetVersionAsync(store, "docs", 2, "train");
        var newest = await DataSources.DatasetVersionAsync(store, "docs");

        var (records, _) = await Read.AllAsync(train);

        Assert.Equal(["docs-2-train"], records.Select(r => r.Id));
        Assert.Equal(("docs", 2, "train"), store.LastRead);
        Assert.NotEqual("f2", await train.ComputeFingerprintAsync());
        Assert.Equal(64, (await train.ComputeFingerprintAsync()).Length);
        Assert.Equal(3, newest.Manifest.Version);
    }

    [Fact]
    public async Task DatasetVersion_reports_a_missing_version_or_split()
    {
        var store = new FakeStore();

        var version = await Assert.ThrowsAsync<InvalidOperationException>(() => DataSources.DatasetVersionAsync(store, "docs", 9));
        var split = await Assert.ThrowsAsync<ArgumentException>(() => DataSources.DatasetVersionAsync(store, "docs", 2, "validation"));

        Assert.Contains("version 9", version.Message, StringComparison.Ordinal);
        Assert.Equal("split", split.ParamName);
        Assert.Contains("train, test", split.Message, StringComparison.Ordinal);
    }

    /// <summary>A hand-written store holding versions 1–3 of "docs" with train and test splits.</summary>
    private sealed class FakeStore : IDatasetStore
    {
        public (string Name, int Version, string? Split) LastRead { get; private set; }

        public Task<IDatasetVersionWriter> BeginWriteAsync(DatasetVersionRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<DatasetManifest?> FindAsync(string name, string fingerprint, CancellationToken cancellationToken = default) =>
            Task.FromResult<DatasetManifest?>(null);

        public Task<DatasetManifest?> GetAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(name == "docs" && (version ?? 3) is >= 1 and <= 3 ? Manifest(version ?? 3) : null);

        public async IAsyncEnumerable<DatasetManifest> ListAsync(string? name = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var version = 1; version <= 3; version++)
            {
                await Task.Yield();
                yield return Manifest(version);
            }
        }

        public async IAsyncEnumerable<DataRecord> ReadAsync(string name, int version, string? split = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            LastRead = (name, version, split);
            foreach (var part in new[] { "train", "test" })
            {
                if (split is null || split == part)
                {
                    await Task.Yield();
                    yield return DataRecord.CreateInstruction($"{name}-{version}-{part}", "i", string.Empty, "o");
                }
            }
        }

        public IAsyncEnumerable<RejectedRecord> ReadRejectsAsync(string name, int version, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        private static DatasetManifest Manifest(int version) => new()
        {
            Name = "docs",
            Version = version,
            Fingerprint = "f" + version,
            Kind = RecordKind.Instruction,
            Splits = new Dictionary<string, long> { ["train"] = 1, ["test"] = 1 },
        };
    }
}
