using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Data.Tests.Store;

public sealed class FileDatasetStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-store-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static DatasetVersionRequest Request(string name = "ds", RecordKind kind = RecordKind.Instruction, string fingerprint = "f1") =>
        new() { Name = name, Fingerprint = fingerprint, Kind = kind, Parents = [new DatasetReference("raw", 3, "abc")], Metadata = new Dictionary<string, string> { ["model"] = "writer/2" } };

    private static async Task<DatasetManifest> WriteAsync(IDatasetStore store, DatasetVersionRequest request, IEnumerable<DataRecord> records)
    {
        await using var writer = await store.BeginWriteAsync(request);
        long n = 0;
        foreach (var record in records)
        {
            await writer.WriteAsync(record, "all");
            n++;
        }

        return await writer.CommitAsync(new DatasetCounts { In = n, Kept = n });
    }

    [Fact]
    public async Task A_committed_version_round_trips_its_records_manifest_and_label_distribution()
    {
        var store = new FileDatasetStore(_root);
        var a = DataRecord.CreateInstruction("a", "Describe 产品", "", "一款轻便的背包 🎒");
        a.Labels["style"] = "playful";
        var b = DataRecord.CreateInstruction("b", "Describe", "shoe", "A shoe.");
        b.Labels["style"] = "formal";
        b.Metadata["source"] = "shop";
        var c = DataRecord.CreateInstruction("c", "Describe", "hat", "A hat.");
        c.Labels["style"] = "formal";

        var manifest = await WriteAsync(store, Request(), [a, b, c]);

        Assert.Equal(1, manifest.Version);
        Assert.Equal(3, manifest.Splits["all"]);
        Assert.Equal(2, manifest.Labels["style"]["formal"]);
        Assert.Equal(1, manifest.Labels["style"]["playful"]);
        var read = await store.ReadAsync("ds", 1).ToListAsync();
        Assert.Equal(["a", "b", "c"], read.Select(r => r.Id));
        Assert.Equal("一款轻便的背包 🎒", read[0].GetField("output"));
        Assert.Equal("shop", read[1].Metadata["source"]);
        var loaded = await store.GetAsync("ds");
        Assert.NotNull(loaded);
        Assert.Equal(manifest.Fingerprint, loaded.Fingerprint);
        Assert.Equal(RecordKind.Instruction, loaded.Kind);
        Assert.Equal(new DatasetReference("raw", 3, "abc"), Assert.Single(loaded.Parents));
        Assert.Equal("writer/2", loaded.Metadata["model"]);
        var raw = await File.ReadAllTextAsync(Path.Combine(store.GetVersionDirectory("ds", 1), "data", "all.jsonl"));
        Assert.Contains("一款轻便的背包 🎒", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_records_are_stored_in_the_OpenAI_messages_shape()
    {
        var store = new FileDatasetStore(_root);
        await WriteAsync(store, Request(kind: RecordKind.Chat), [DataRecord.CreateChat("c1", ("user", "Hi"), ("assistant", "Hello!"))]);

        var line = (await File.ReadAllLinesAsync(Path.Combine(store.GetVersionDirectory("ds", 1), "data", "all.jsonl"))).Single();
        Assert.Equal("""{"id":"c1","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}""", line);
        var record = await store.ReadAsync("ds", 1).SingleAsync();
        Assert.Equal(["user", "assistant"], record.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task Disposing_without_commit_leaves_nothing()
    {
        var store = new FileDatasetStore(_root);
        await using (var writer = await store.BeginWriteAsync(Request()))
        {
            await writer.WriteAsync(DataRecord.CreateInstruction("a", "i", "", "o"), "all");
        }

        Assert.Empty(await store.ListAsync().ToListAsync());
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "ds")));
    }

    [Fact]
    public async Task Eight_concurrent_writers_get_distinct_versions_and_lose_nothing()
    {
        var store = new FileDatasetStore(_root);
        var manifests = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            WriteAsync(store, Request(fingerprint: "f" + i), Enumerable.Range(0, 50).Select(j => DataRecord.CreateInstruction($"{i}-{j}", "i", "", "o"))))));

        Assert.Equal(Enumerable.Range(1, 8), manifests.Select(m => m.Version).Order());
        var listed = await store.ListAsync("ds").ToListAsync();
        Assert.Equal(8, listed.Count);
        foreach (var manifest in manifests)
        {
            var ids = await store.ReadAsync("ds", manifest.Version).Select(r => r.Id).ToListAsync();
            Assert.Equal(50, ids.Count);
            Assert.Equal(manifest.Fingerprint, "f" + ids[0].Split('-')[0]);
        }
    }

    [Fact]
    public async Task Counts_that_do_not_reconcile_are_refused()
    {
        var store = new FileDatasetStore(_root);
        await using var writer = await store.BeginWriteAsync(Request());
        await writer.WriteAsync(DataRecord.CreateInstruction("a", "i", "", "o"), "all");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.CommitAsync(new DatasetCounts { In = 3, Kept = 1, Rejected = 1 }));
        Assert.Contains("do not reconcile", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task Names_that_could_leave_the_root_are_refused(string name)
    {
        var store = new FileDatasetStore(_root);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.BeginWriteAsync(Request(name: name)));
    }

    [Fact]
    public async Task Missing_versions_raise_a_typed_error_naming_the_dataset()
    {
        var store = new FileDatasetStore(_root);
        Assert.Null(await store.GetAsync("nothing"));
        var error = await Assert.ThrowsAsync<DatasetNotFoundException>(async () => await store.ReadAsync("nothing", 2).ToListAsync());
        Assert.Contains("'nothing' has no version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_reports_added_removed_changed_and_changed_steps()
    {
        var store = new FileDatasetStore(_root);
        await WriteAsync(store, Request() with { Steps = [new DatasetStepInfo("clean", 1, new StepParameters().Add("x", 1))] },
            [DataRecord.CreateInstruction("a", "i", "", "o"), DataRecord.CreateInstruction("b", "i", "", "o"), DataRecord.CreateInstruction("c", "i", "", "o")]);
        await WriteAsync(store, Request(fingerprint: "f2") with { Steps = [new DatasetStepInfo("clean", 1, new StepParameters().Add("x", 2))] },
            [DataRecord.CreateInstruction("a", "i", "", "o"), DataRecord.CreateInstruction("b", "i", "", "changed"), DataRecord.CreateInstruction("d", "i", "", "o")]);

        var diff = await DatasetDiffer.DiffAsync(store, "ds", 1, 2);

        Assert.Equal((1L, 1L, 1L, 1L), (diff.Added, diff.Removed, diff.Changed, diff.Unchanged));
        Assert.Equal(["d"], diff.AddedSample);
        Assert.Equal(["c"], diff.RemovedSample);
        Assert.Equal(["b"], diff.ChangedSample);
        Assert.Equal(["clean"], diff.ChangedSteps);
    }

    [Fact]
    public async Task AddData_registers_a_store_under_the_configured_root()
    {
        var services = new ServiceCollection();
        services.AddAigc(o => o.RootPath = _root).AddData(o => o.DatasetsDirectory = "sets");
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<FileDatasetStore>(provider.GetRequiredService<IDatasetStore>());
        Assert.Equal(Path.Combine(_root, "sets"), store.RootDirectory);
    }
}
