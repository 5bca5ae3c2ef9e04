namespace Aigc.Inference.Tests.Registry;

/// <summary>
/// What every <see cref="IModelRegistry"/> must do; run against each store by a subclass that says how to open one.
/// Each test gets a fresh, empty store.
/// </summary>
public abstract class ModelRegistryContractTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    protected RegistryTestFiles Files { get; } = new();

    protected IModelRegistry Registry { get; private set; } = null!;

    protected string ArtifactsDirectory => Files.PathOf("artifacts");

    public virtual async Task InitializeAsync() => Registry = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var registry in _opened)
        {
            await registry.DisposeAsync();
        }

        await DeleteStoreAsync();
        Files.Dispose();
    }

    /// <summary>Opens another registry instance over this test's store (same database and artifact folder).</summary>
    protected async Task<IModelRegistry> OpenAsync(ModelRegistryOptions? options = null)
    {
        var registry = await CreateRegistryAsync(options ?? new ModelRegistryOptions());
        _opened.Add((IAsyncDisposable)registry);
        return registry;
    }

    protected abstract Task<IModelRegistry> CreateRegistryAsync(ModelRegistryOptions options);

    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    protected static ModelLineage SampleLineage() => new()
    {
        Datasets = [new DatasetReference("support-chats", 3, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")],
        BaseModelSource = "openai-community/gpt2",
        TrainingRunId = "run-42",
        Parameters = new Dictionary<string, string> { ["lora.r"] = "8", ["learning_rate"] = "0.0002" },
        Metrics = new Dictionary<string, double> { ["eval.loss"] = 1.73, ["eval.perplexity"] = double.PositiveInfinity },
    };

    [Fact]
    public async Task Registers_an_adapter_folder_with_files_lineage_and_tags_in_one_call()
    {
        var folder = Files.WriteAdapter("adapter", seed: 1);

        var version = await Registry.RegisterVersionAsync("writer", folder, SampleLineage(), new Dictionary<string, string> { ["format"] = "peft" }, "first adapter");

        Assert.Equal("writer", version.Name);
        Assert.Equal(1, version.Version);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Equal("models:/writer/1", version.Uri.ToString());
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors", "tokenizer/vocab.json"], version.Artifacts.Select(a => a.Path));
        var weights = version.Artifacts.Single(a => a.Path == "adapter_model.safetensors");
        Assert.Equal(RegistryTestFiles.Sha256(Path.Combine(folder, "adapter_model.safetensors")), weights.Sha256);
        Assert.Equal(4096, weights.Size);
        Assert.Matches("^[0-9a-f]{64}$", version.Digest);

        var stored = await Registry.GetVersionAsync("writer", 1);
        Assert.NotNull(stored);
        Assert.Equal(version.Artifacts, stored.Artifacts);
        Assert.Equal(version.Digest, stored.Digest);
        Assert.Equal("first adapter", stored.Description);
        Assert.Equal("peft", stored.Tags["format"]);
        Assert.Equal(version.CreatedAt, stored.CreatedAt);
        Assert.Equal([new DatasetReference("support-chats", 3, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")], stored.Lineage.Datasets);
        Assert.Equal("openai-community/gpt2", stored.Lineage.BaseModelSource);
        Assert.Equal("run-42", stored.Lineage.TrainingRunId);
        Assert.Equal("0.0002", stored.Lineage.Parameters["learning_rate"]);
        Assert.Equal(1.73, stored.Lineage.Metrics["eval.loss"]);
        Assert.True(double.IsPositiveInfinity(stored.Lineage.Metrics["eval.perplexity"]));

        var model = await Registry.GetModelAsync("writer");
        Assert.NotNull(model);
        Assert.Equal(1, model.LatestVersion);
    }

    [Fact]
    public async Task Registers_a_single_merged_onnx_file_under_its_own_name()
    {
        var file = Files.WriteFile("merged/model.onnx", seed: 5);

        var version = await Registry.RegisterVersionAsync("writer-merged", file);

        var artifact = Assert.Single(version.Artifacts);
        Assert.Equal("model.onnx", artifact.Path);
        await using var stream = await Registry.OpenArtifactAsync("writer-merged", 1, "model.onnx");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(File.ReadAllBytes(file), copy.ToArray());
    }

    [Fact]
    public async Task Numbers_versions_from_one_for_each_model()
    {
        var file = Files.WriteFile("m.onnx", seed: 2);

        var a1 = await Registry.RegisterVersionAsync("a", file);
        var a2 = await Registry.RegisterVersionAsync("a", file);
        var b1 = await Registry.RegisterVersionAsync("b", file);
        var a3 = await Registry.RegisterVersionAsync("a", file);

        Assert.Equal([1, 2, 1, 3], new[] { a1.Version, a2.Version, b1.Version, a3.Version });
        Assert.Equal(3, (await Registry.GetModelAsync("a"))!.LatestVersion);
        Assert.Null(await Registry.GetVersionAsync("a", 4));
        Assert.Null(await Registry.GetModelAsync("c"));
    }

    [Fact]
    public async Task Eight_concurrent_registrations_from_threads_and_two_instances_get_distinct_versions_and_lose_nothing()
    {
        var second = await OpenAsync();
        var sources = Enumerable.Range(0, 8).Select(i => Files.WriteAdapter("adapter" + i, seed: 100 + i, size: 64 * 1024)).ToArray();
        using var start = new ManualResetEventSlim();

        var tasks = sources.Select((folder, i) => Task.Run(async () =>
        {
            start.Wait();
            var registry = i % 2 == 0 ? Registry : second;
            return await registry.RegisterVersionAsync("busy", folder, tags: new Dictionary<string, string> { ["source"] = i.ToString() });
        })).ToArray();
        start.Set();
        var versions = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
        var page = await Registry.SearchVersionsAsync(new ModelVersionQuery { Name = "busy" });
        Assert.Equal(8, page.Items.Count);
        foreach (var version in page.Items)
        {
            var source = sources[int.Parse(version.Tags["source"])];
            await using var stream = await Registry.OpenArtifactAsync("busy", version.Version, "adapter_model.safetensors");
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, "adapter_model.safetensors")), copy.ToArray());
            Assert.Equal(3, version.Artifacts.Count);
        }
    }

    [Fact]
    public async Task A_pending_version_reserves_its_number_and_completes_with_files_and_metrics()
    {
        var pending = await Registry.BeginVersionAsync(new ModelVersionRegistration { Name = "trainee", Lineage = SampleLineage() });
        var folder = Files.WriteAdapter("trained", seed: 3);

        Assert.Equal(ModelVersionStatus.Pending, pending.Status);
        Assert.Empty(pending.Artifacts);
        Assert.Null(pending.Digest);
        var next = await Registry.RegisterVersionAsync("trainee", folder);
        Assert.Equal(2, next.Version);

        var ready = await Registry.CompleteVersionAsync("trainee", pending.Version, ModelArtifactSource.FromDirectory(folder), new Dictionary<string, double> { ["eval.loss"] = 1.5, ["eval.accuracy"] = 0.9 });

        Assert.Equal(ModelVersionStatus.Ready, ready.Status);
        Assert.Equal(3, ready.Artifacts.Count);
        Assert.Equal(next.Digest, ready.Digest);
        Assert.Equal(1.5, ready.Lineage.Metrics["eval.loss"]);
        Assert.Equal(0.9, ready.Lineage.Metrics["eval.accuracy"]);
        Assert.Equal("run-42", ready.Lineage.TrainingRunId);
        var again = await Assert.ThrowsAsync<ModelRegistryException>(() => Registry.CompleteVersionAsync("trainee", 1, ModelArtifactSource.FromDirectory(folder)));
        Assert.Contains("is ready, not pending", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_version_can_fail_with_its_reason_and_then_neither_completes_nor_takes_an_alias()
    {
        var pending = await Registry.BeginVersionAsync(new ModelVersionRegistration { Name = "trainee" });

        var failed = await Registry.FailVersionAsync("trainee", pending.Version, "loss became NaN at step 120");

        Assert.Equal(ModelVersionStatus.Failed, failed.Status);
        Assert.Equal("loss became NaN at step 120", failed.StatusMessage);
        var file = Files.WriteFile("m.onnx", seed: 4);
        await Assert.ThrowsAsync<ModelRegistryException>(() => Registry.CompleteVersionAsync("trainee", 1, ModelArtifactSource.FromPath(file)));
        var alias = await Assert.ThrowsAsync<ModelRegistryException>(() => Registry.SetAliasAsync("trainee", "champion", 1));
        Assert.Contains("is failed", alias.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.FailVersionAsync("trainee", 9, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.BeginVersionAsync(new ModelVersionRegistration { Name = "trainee", Files = ModelArtifactSource.FromPath(file) }));
    }

    [Fact]
    public async Task Aliases_move_between_versions_and_resolve_through_uris()
    {
        var file = Files.WriteFile("m.onnx", seed: 6);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.RegisterVersionAsync("writer", file);

        var set = await Registry.SetAliasAsync("writer", "champion", 1);
        await Registry.SetAliasAsync("writer", "challenger", 2);
        Assert.Null(set.PreviousVersion);
        Assert.Equal(1, (await Registry.ResolveAsync("models:/writer@champion")).Version);

        var moved = await Registry.SetAliasAsync("writer", "champion", 2);

        Assert.Equal(1, moved.PreviousVersion);
        Assert.Equal(2, moved.Version);
        Assert.True(moved.Sequence > set.Sequence);
        Assert.Equal("models:/writer/2", moved.VersionUri!.ToString());
        var resolved = await Registry.ResolveAsync("models:/writer@champion");
        Assert.Equal(2, resolved.Version);
        Assert.Equal(["challenger", "champion"], resolved.Aliases);
        Assert.Empty((await Registry.GetVersionAsync("writer", 1))!.Aliases);
        Assert.Equal(1, (await Registry.ResolveAsync("models:/writer/1")).Version);
        var model = await Registry.GetModelAsync("writer");
        Assert.Equal(new Dictionary<string, int> { ["challenger"] = 2, ["champion"] = 2 }, model!.Aliases);
        var same = await Registry.SetAliasAsync("writer", "champion", 2);
        Assert.Equal(same.PreviousVersion, same.Version);
        Assert.Equal(0, same.Sequence);
    }

    [Fact]
    public async Task Resolving_what_does_not_exist_says_what_there_is()
    {
        var file = Files.WriteFile("m.onnx", seed: 7);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.SetAliasAsync("writer", "champion", 1);

        var alias = await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.ResolveAsync("models:/writer@challenger"));
        Assert.Contains("has no alias 'challenger'", alias.Message, StringComparison.Ordinal);
        Assert.Contains("champion", alias.Message, StringComparison.Ordinal);
        Assert.Equal("challenger", alias.Alias);
        var version = await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.ResolveAsync("models:/writer/5"));
        Assert.Equal(5, version.Version);
        var model = await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.ResolveAsync("models:/nobody@champion"));
        Assert.Contains("no model named 'nobody'", model.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.SetAliasAsync("writer", "champion", 2));
        await Assert.ThrowsAsync<ModelUriFormatException>(() => Registry.ResolveAsync("writer@champion"));
    }

    [Fact]
    public async Task Deleting_an_alias_removes_it_once()
    {
        var file = Files.WriteFile("m.onnx", seed: 8);
        await Registry.RegisterVersionAsync("writer", file);
        await Registry.SetAliasAsync("writer", "champion", 1);

        Assert.True(await Registry.DeleteAliasAsync("writer", "champion"));
        Assert.False(await Registry.DeleteAliasAsync("writer", "champion"));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.ResolveAsync("models:/writer@champion"));
        Assert.Empty((await Registry.GetModelAsync("writer"))!.Aliases);
    }

    [Fact]
    public async Task Watchers_get_the_current_aliases_then_every_change_in_order_also_from_another_instance()
    {
        var file = Files.WriteFile("m.onnx", seed: 9);
        for (var i = 0; i < 3; i++)
        {
            await Registry.RegisterVersionAsync("writer", file);
        }

        await Registry.RegisterVersionAsync("other", file);
        await Registry.SetAliasAsync("writer", "champion", 1);
        var watcher = await OpenAsync(new ModelRegistryOptions { AliasPollInterval = TimeSpan.FromMilliseconds(200) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = watcher.WatchAliasesAsync("writer", timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await changes.MoveNextAsync());
        Assert.True(changes.Current.IsSnapshot);
        Assert.Equal((string?)"champion", changes.Current.Alias);
        Assert.Equal(1, changes.Current.Version);

        await Registry.SetAliasAsync("writer", "challenger", 2);
        await Registry.SetAliasAsync("other", "champion", 1); // another model: not for this watcher
        await Registry.SetAliasAsync("writer", "champion", 3);
        await Registry.DeleteAliasAsync("writer", "challenger");

        var seen = new List<ModelAliasChange>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await changes.MoveNextAsync());
            seen.Add(changes.Current);
        }

        Assert.All(seen, c => Assert.False(c.IsSnapshot));
        Assert.All(seen, c => Assert.Equal("writer", c.Name));
        Assert.Equal([("challenger", (int?)2, (int?)null), ("champion", 3, 1), ("challenger", null, 2)], seen.Select(c => (c.Alias, c.Version, c.PreviousVersion)));
        Assert.True(seen[0].Sequence < seen[1].Sequence && seen[1].Sequence < seen[2].Sequence);
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await changes.MoveNextAsync());
    }

    [Fact]
    public async Task A_tampered_artifact_is_refused_with_a_typed_exception_everywhere_it_is_handed_out()
    {
        var folder = Files.WriteAdapter("adapter", seed: 10);
        await Registry.RegisterVersionAsync("writer", folder);
        var blob = await Registry.GetArtifactPathAsync("writer", 1, "adapter_model.safetensors");
        Assert.StartsWith(Path.Combine(ArtifactsDirectory, "sha256") + Path.DirectorySeparatorChar, blob, StringComparison.Ordinal);
        var sha = RegistryTestFiles.Sha256(blob);
        Assert.Equal(Path.Combine(ArtifactsDirectory, "sha256", sha[..2], sha[2..]), blob);

        Tamper(blob);

        var open = await Assert.ThrowsAsync<ModelArtifactIntegrityException>(() => Registry.OpenArtifactAsync("writer", 1, "adapter_model.safetensors"));
        Assert.Equal("adapter_model.safetensors", open.ArtifactPath);
        Assert.Equal(sha, open.ExpectedSha256);
        Assert.NotEqual(sha, open.ActualSha256);
        Assert.Contains("models:/writer/1", open.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelArtifactIntegrityException>(() => Registry.GetArtifactPathAsync("writer", 1, "adapter_model.safetensors"));
        var export = Files.PathOf("export");
        await Assert.ThrowsAsync<ModelArtifactIntegrityException>(() => Registry.ExportArtifactsAsync("writer", 1, export));
        Assert.False(File.Exists(Path.Combine(export, "adapter_model.safetensors")));
        Assert.Empty(Directory.EnumerateFiles(export, "*.part", SearchOption.AllDirectories));

        // The untouched files are still served, and registering the same content again repairs the stored copy.
        await using (await Registry.OpenArtifactAsync("writer", 1, "adapter_config.json"))
        {
        }

        await Registry.RegisterVersionAsync("writer", folder);
        await using (await Registry.OpenArtifactAsync("writer", 1, "adapter_model.safetensors"))
        {
        }
    }

    [Fact]
    public async Task A_missing_or_truncated_artifact_is_refused()
    {
        var file = Files.WriteFile("m.onnx", seed: 11);
        await Registry.RegisterVersionAsync("writer", file);
        var blob = await Registry.GetArtifactPathAsync("writer", 1, "m.onnx");

        MakeWritable(blob);
        using (var stream = new FileStream(blob, FileMode.Open))
        {
            stream.SetLength(100);
        }

        var truncated = await Assert.ThrowsAsync<ModelArtifactIntegrityException>(() => Registry.OpenArtifactAsync("writer", 1, "m.onnx"));
        Assert.Contains("has 100 bytes instead of 2048", truncated.Message, StringComparison.Ordinal);
        File.Delete(blob);
        var missing = await Assert.ThrowsAsync<ModelArtifactIntegrityException>(() => Registry.OpenArtifactAsync("writer", 1, "m.onnx"));
        Assert.Contains("is missing", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.OpenArtifactAsync("writer", 1, "other.onnx"));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.OpenArtifactAsync("writer", 2, "m.onnx"));
    }

    [Fact]
    public async Task Identical_files_are_stored_once_and_exported_back_under_their_names()
    {
        var folder = Files.WriteAdapter("adapter", seed: 12);
        await Registry.RegisterVersionAsync("writer", folder);
        await Registry.RegisterVersionAsync("copy", folder);

        var blobs = Directory.GetFiles(Path.Combine(ArtifactsDirectory, "sha256"), "*", SearchOption.AllDirectories);
        Assert.Equal(3, blobs.Length);
        Assert.All(blobs, b => Assert.Equal(62, Path.GetFileName(b).Length));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(ArtifactsDirectory, "tmp")));

        var export = Files.PathOf("export", "adapter");
        var written = await Registry.ExportArtifactsAsync("copy", 1, export);

        Assert.Equal(3, written.Count);
        foreach (var relative in new[] { "adapter_config.json", "adapter_model.safetensors", Path.Combine("tokenizer", "vocab.json") })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, relative)), File.ReadAllBytes(Path.Combine(export, relative)));
        }
    }

    [Fact]
    public async Task Lists_models_in_name_order_with_paging_and_filters()
    {
        var file = Files.WriteFile("m.onnx", seed: 13);
        foreach (var name in new[] { "delta", "alpha", "charlie", "bravo", "echo" })
        {
            await Registry.RegisterVersionAsync(name, file);
        }

        await Registry.UpdateModelAsync("bravo", new ModelMetadataUpdate { SetTags = new Dictionary<string, string> { ["team"] = "search" } });
        await Registry.UpdateModelAsync("delta", new ModelMetadataUpdate { SetTags = new Dictionary<string, string> { ["team"] = "search" } });

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Registry.ListModelsAsync(new ModelQuery { PageSize = 2, PageToken = token });
            names.AddRange(page.Items.Select(m => m.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["alpha", "bravo", "charlie", "delta", "echo"], names);
        Assert.Equal(3, pages);
        Assert.Equal(["bravo", "delta"], (await Registry.ListModelsAsync(new ModelQuery { Tags = new Dictionary<string, string> { ["team"] = "search" } })).Items.Select(m => m.Name));
        Assert.Equal(["charlie"], (await Registry.ListModelsAsync(new ModelQuery { NameContains = "HAR" })).Items.Select(m => m.Name));
        Assert.Empty((await Registry.ListModelsAsync(new ModelQuery { NameContains = "%" })).Items);
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ListModelsAsync(new ModelQuery { PageSize = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ListModelsAsync(new ModelQuery { PageToken = "not-a-token" }));
    }

    [Fact]
    public async Task Searches_versions_by_model_status_tag_dataset_and_run_newest_first_with_paging()
    {
        var file = Files.WriteFile("m.onnx", seed: 14);
        var lineage = SampleLineage();
        await Registry.RegisterVersionAsync("writer", file, lineage, new Dictionary<string, string> { ["stage"] = "eval" });
        await Registry.RegisterVersionAsync("writer", file, lineage with { TrainingRunId = "run-43", Datasets = [new DatasetReference("support-chats", 4, "abc")] });
        await Registry.RegisterVersionAsync("reader", file, new ModelLineage { Datasets = [new DatasetReference("faq", 1, "def")] }, new Dictionary<string, string> { ["stage"] = "eval" });
        await Registry.BeginVersionAsync(new ModelVersionRegistration { Name = "writer" });

        static IEnumerable<string> Uris(ModelPage<ModelVersion> page) => page.Items.Select(v => v.ToString());

        Assert.Equal(["models:/writer/3", "models:/reader/1", "models:/writer/2", "models:/writer/1"], Uris(await Registry.SearchVersionsAsync()));
        Assert.Equal(["models:/writer/3", "models:/writer/2", "models:/writer/1"], Uris(await Registry.SearchVersionsAsync(new ModelVersionQuery { Name = "writer" })));
        Assert.Equal(["models:/writer/3"], Uris(await Registry.SearchVersionsAsync(new ModelVersionQuery { Status = ModelVersionStatus.Pending })));
        Assert.Equal(["models:/reader/1", "models:/writer/1"], Uris(await Registry.SearchVersionsAsync(new ModelVersionQuery { Tags = new Dictionary<string, string> { ["stage"] = "eval" } })));
        Assert.Equal(["models:/writer/2", "models:/writer/1"], Uris(await Registry.SearchVersionsAsync(new ModelVersionQuery { DatasetName = "support-chats" })));
        Assert.Equal(["models:/writer/2"], Uris(await Registry.SearchVersionsAsync(new ModelVersionQuery { DatasetName = "support-chats", DatasetFingerprint = "abc" })));
        Assert.Equal(["models:/writer/2"], Uris(await Registry.SearchVersionsAsync(new ModelVersionQuery { TrainingRunId = "run-43" })));
        Assert.Empty((await Registry.SearchVersionsAsync(new ModelVersionQuery { Name = "writer", Tags = new Dictionary<string, string> { ["stage"] = "prod" } })).Items);

        var first = await Registry.SearchVersionsAsync(new ModelVersionQuery { PageSize = 3 });
        Assert.NotNull(first.NextPageToken);
        var second = await Registry.SearchVersionsAsync(new ModelVersionQuery { PageSize = 3, PageToken = first.NextPageToken });
        Assert.Equal(["models:/writer/1"], Uris(second));
        Assert.Null(second.NextPageToken);
        var modelToken = (await Registry.ListModelsAsync(new ModelQuery { PageSize = 1 })).NextPageToken;
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.SearchVersionsAsync(new ModelVersionQuery { PageToken = modelToken }));
    }

    [Fact]
    public async Task Descriptions_and_tags_change_on_models_and_versions()
    {
        var created = await Registry.CreateModelAsync("writer", "writes replies", new Dictionary<string, string> { ["team"] = "support", ["tier"] = "1" });
        Assert.Equal("writes replies", created.Description);
        Assert.Equal(0, created.LatestVersion);
        var conflict = await Assert.ThrowsAsync<ModelRegistryException>(() => Registry.CreateModelAsync("writer"));
        Assert.Contains("already exists", conflict.Message, StringComparison.Ordinal);

        var model = await Registry.UpdateModelAsync("writer", new ModelMetadataUpdate { Description = "writes support replies", SetTags = new Dictionary<string, string> { ["tier"] = "2" }, RemoveTags = ["team"] });
        Assert.Equal("writes support replies", model.Description);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "2" }, model.Tags);

        await Registry.RegisterVersionAsync("writer", Files.WriteFile("m.onnx", seed: 15), description: "v1");
        var version = await Registry.UpdateVersionAsync("writer", 1, new ModelMetadataUpdate { SetTags = new Dictionary<string, string> { ["reviewed"] = "yes" } });
        Assert.Equal("v1", version.Description);
        Assert.Equal("yes", version.Tags["reviewed"]);
        version = await Registry.UpdateVersionAsync("writer", 1, new ModelMetadataUpdate { Description = string.Empty, RemoveTags = ["reviewed"] });
        Assert.Null(version.Description);
        Assert.Empty(version.Tags);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.UpdateModelAsync("nobody", new ModelMetadataUpdate()));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.UpdateVersionAsync("writer", 2, new ModelMetadataUpdate()));
    }

    [Fact]
    public async Task A_base_model_alias_is_pinned_to_its_version_in_the_lineage()
    {
        var file = Files.WriteFile("base.onnx", seed: 16);
        await Registry.RegisterVersionAsync("gpt2-small", file);
        await Registry.RegisterVersionAsync("gpt2-small", file);
        await Registry.SetAliasAsync("gpt2-small", "champion", 2);

        var version = await Registry.RegisterVersionAsync("writer", Files.WriteAdapter("adapter", seed: 17), new ModelLineage { BaseModel = ModelUri.Parse("models:/gpt2-small@champion") });
        await Registry.SetAliasAsync("gpt2-small", "champion", 1);

        Assert.Equal(ModelUri.ForVersion("gpt2-small", 2), version.Lineage.BaseModel);
        Assert.Equal(ModelUri.ForVersion("gpt2-small", 2), (await Registry.GetVersionAsync("writer", 1))!.Lineage.BaseModel);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.RegisterVersionAsync("writer", file, new ModelLineage { BaseModel = ModelUri.ForVersion("gpt2-small", 9) }));
        Assert.Equal(1, (await Registry.GetModelAsync("writer"))!.LatestVersion);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_at_the_edge_with_the_parameter_name()
    {
        var file = Files.WriteFile("m.onnx", seed: 18);

        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => Registry.GetModelAsync("../etc"))).ParamName);
        Assert.Equal("alias", (await Assert.ThrowsAsync<ArgumentException>(() => Registry.SetAliasAsync("m", "has space", 1))).ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Registry.GetVersionAsync("m", 0));
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => Registry.RegisterVersionAsync(new ModelVersionRegistration { Name = "m" }));
        Assert.Contains("at least one file", empty.Message, StringComparison.Ordinal);
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => Registry.RegisterVersionAsync(new ModelVersionRegistration
        {
            Name = "m",
            Files = [new ModelArtifactSource("model.onnx", file), new ModelArtifactSource("model.onnx", file)],
        }));
        Assert.Contains("Two files have the path 'model.onnx'", duplicate.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() => Registry.RegisterVersionAsync(new ModelVersionRegistration { Name = "m", Files = [new ModelArtifactSource("x.onnx", Files.PathOf("missing.onnx"))] }));
        Assert.Null(await Registry.GetModelAsync("m"));
    }

    protected static void Tamper(string file)
    {
        MakeWritable(file);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = 10;
        var b = stream.ReadByte();
        stream.Position = 10;
        stream.WriteByte((byte)(b ^ 0xFF));
    }

    private static void MakeWritable(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
