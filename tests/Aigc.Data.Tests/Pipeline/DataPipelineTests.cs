using CsCheck;

namespace Aigc.Data.Tests.Pipeline;

public sealed class DataPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static List<DataRecord> Corpus(params string[] texts) =>
        texts.Select((t, i) => DataRecord.CreateText($"r-{i}", t)).ToList();

    [Fact]
    public async Task Run_writes_a_version_whose_counts_reconcile_and_whose_rejects_have_reasons()
    {
        var store = new FileDatasetStore(_root);
        var source = new ListSource(RecordKind.Text, Corpus("hello world", "hi", "hello world", "a longer text", "x"));
        var pipeline = new DataPipeline("corpus", source).Add(new MinLengthStep(3)).Add(new SeenBeforeStep());

        var result = await pipeline.RunAsync(store);

        Assert.False(result.Reused);
        var manifest = result.Manifest;
        Assert.Equal(1, manifest.Version);
        Assert.Equal(new DatasetCounts { In = 5, Kept = 2, Rejected = 2, Deduplicated = 1 }, manifest.Counts);
        Assert.True(manifest.Counts.Reconciles);
        Assert.Equal(2, manifest.Steps.Count);
        Assert.Equal(new[] { 5L, 3L }, manifest.Steps.Select(s => s.In));
        Assert.Equal(new[] { 3L, 2L }, manifest.Steps.Select(s => s.Out));
        Assert.Equal("3", manifest.Steps[0].Parameters["min"]);
        Assert.Equal(2, manifest.Counters["test.unique"]);

        var kept = await store.ReadAsync("corpus", 1).Select(r => r.GetText()).ToListAsync();
        Assert.Equal(["hello world", "a longer text"], kept);
        // Nothing dropped is lost: the two rejects and the duplicate, each with its step and reason.
        var dropped = await store.ReadRejectsAsync("corpus", 1).ToListAsync();
        var rejects = dropped.Where(r => !r.Duplicate).ToList();
        Assert.Equal(2, rejects.Count);
        Assert.All(rejects, r => Assert.Equal("test.min-length", r.Step));
        Assert.Contains(rejects, r => r.Reason == "too short: 2 < 3" && r.RecordId == "r-1" && r.Original.Contains("\"hi\"", StringComparison.Ordinal));
        var duplicate = Assert.Single(dropped, r => r.Duplicate);
        Assert.Equal("test.seen-before", duplicate.Step);
        Assert.Equal("r-2", duplicate.RecordId);
        Assert.Equal("r-0", duplicate.DuplicateOf);
        Assert.Equal("duplicate of r-0", duplicate.Reason);
        Assert.Contains("\"hello world\"", duplicate.Original, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unchanged_pipeline_reuses_the_stored_version_and_a_changed_one_does_not()
    {
        var store = new FileDatasetStore(_root);
        var records = Corpus("one two three", "four five six");

        var first = await new DataPipeline("d", new ListSource(RecordKind.Text, records)).Add(new MinLengthStep(3)).RunAsync(store);
        var again = await new DataPipeline("d", new ListSource(RecordKind.Text, records)).Add(new MinLengthStep(3)).RunAsync(store);
        var otherParameter = await new DataPipeline("d", new ListSource(RecordKind.Text, records)).Add(new MinLengthStep(4)).RunAsync(store);
        var otherContent = await new DataPipeline("d", new ListSource(RecordKind.Text, records, content: "v2")).Add(new MinLengthStep(3)).RunAsync(store);
        var forced = await new DataPipeline("d", new ListSource(RecordKind.Text, records)).Add(new MinLengthStep(3)).RunAsync(store, force: true);

        Assert.True(again.Reused);
        Assert.Equal(first.Manifest.Version, again.Manifest.Version);
        Assert.Equal(first.Manifest.Fingerprint, again.Manifest.Fingerprint);
        Assert.False(otherParameter.Reused);
        Assert.NotEqual(first.Manifest.Fingerprint, otherParameter.Manifest.Fingerprint);
        Assert.NotEqual(first.Manifest.Fingerprint, otherContent.Manifest.Fingerprint);
        Assert.False(forced.Reused);
        Assert.Equal(4, forced.Manifest.Version);
    }

    [Fact]
    public async Task Splitter_assigns_records_to_split_files_and_counts_them()
    {
        var store = new FileDatasetStore(_root);
        var pipeline = new DataPipeline("split", new ListSource(RecordKind.Text, Corpus("a a", "b b", "c c", "d d", "e e"))).SplitWith(new ParitySplitter());

        var manifest = (await pipeline.RunAsync(store)).Manifest;

        Assert.Equal(3, manifest.Splits["train"]);
        Assert.Equal(2, manifest.Splits["test"]);
        Assert.Equal("data/train.jsonl", manifest.Files["train"]);
        Assert.Equal(["r-1", "r-3"], await store.ReadAsync("split", 1, "test").Select(r => r.Id).ToListAsync());
        Assert.Equal("test.parity", manifest.Steps[^1].Id);
    }

    [Fact]
    public async Task Records_created_by_a_step_are_counted_as_added()
    {
        var store = new FileDatasetStore(_root);
        var manifest = (await new DataPipeline("aug", new ListSource(RecordKind.Text, Corpus("aaa", "bbb"))).Add(new DuplicateEveryRecordStep()).RunAsync(store)).Manifest;

        Assert.Equal(new DatasetCounts { In = 2, Added = 2, Kept = 4 }, manifest.Counts);
        Assert.Equal(2, manifest.Steps[0].Added);
    }

    [Fact]
    public async Task A_step_that_drops_records_silently_fails_the_run_and_stores_nothing()
    {
        var store = new FileDatasetStore(_root);
        var pipeline = new DataPipeline("bad", new ListSource(RecordKind.Text, Corpus("aaa", "bbb", "ccc"))).Add(new SilentDropStep());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.RunAsync(store));

        Assert.Contains("do not reconcile", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync("bad").ToListAsync());
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "bad")));
    }

    [Fact]
    public async Task Cancellation_stores_nothing()
    {
        var store = new FileDatasetStore(_root);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DataPipeline("c", new ListSource(RecordKind.Text, Corpus("aaa"))).RunAsync(store, cancellationToken: cts.Token));
        Assert.Empty(await store.ListAsync("c").ToListAsync());
    }

    [Fact]
    public async Task Progress_reports_the_final_totals()
    {
        var store = new FileDatasetStore(_root);
        var reports = new List<DataPipelineProgress>();
        var progress = new SynchronousProgress<DataPipelineProgress>(reports.Add);

        await new DataPipeline("p", new ListSource(RecordKind.Text, Corpus("aaa", "b", "ccc"))).Add(new MinLengthStep(2)).RunAsync(store, progress);

        var last = reports[^1];
        Assert.Equal(3, last.RecordsRead);
        Assert.Equal(2, last.RecordsWritten);
        Assert.Equal(1, last.RecordsDropped);
    }

    [Fact]
    public void Counts_reconcile_for_random_corpora_and_step_settings()
    {
        Gen.Select(Gen.String[Gen.Char['a', 'c'], 0, 6].List[0, 40], Gen.Int[0, 6], Gen.Int[0, 5])
            .Sample((texts, minLength, rejectEvery) =>
            {
                var root = Path.Combine(_root, Guid.NewGuid().ToString("N"));
                var store = new FileDatasetStore(root);
                var source = new ListSource(RecordKind.Text, Corpus([.. texts]), rejectEvery: rejectEvery);
                var manifest = new DataPipeline("prop", source).Add(new MinLengthStep(minLength)).Add(new SeenBeforeStep()).RunAsync(store).GetAwaiter().GetResult().Manifest;
                var stored = store.ReadAsync("prop", 1).CountAsync().AsTask().GetAwaiter().GetResult();
                var dropped = store.ReadRejectsAsync("prop", 1).ToListAsync().AsTask().GetAwaiter().GetResult();
                return manifest.Counts.Reconciles
                    && manifest.Counts.In == texts.Count
                    && manifest.Counts.Kept == stored
                    && manifest.Counts.Rejected == dropped.Count(r => !r.Duplicate)
                    && manifest.Counts.Deduplicated == dropped.Count(r => r.Duplicate);
            }, iter: 60);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
