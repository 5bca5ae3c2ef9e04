using Aigc.Inference.Tests.Fixtures;

namespace Aigc.Inference.Tests.Routing;

public sealed class TritonModelRepositoryTests : RouterTestBase
{
    [Fact]
    public async Task Writes_a_triton_model_folder_whose_config_describes_the_onnx_graph()
    {
        await RegisterBytesAsync("affine", TestGraphs.Affine());
        var v2 = await RegisterMarkedAsync("affine", 2);
        await Registry.SetAliasAsync("affine", "champion", 2);
        var repository = Files.PathOf("triton");
        #region triton
        var options = new TritonExportOptions { MaxBatchSize = 16, MaxQueueDelay = TimeSpan.FromMilliseconds(2), InstanceCount = 2, InstanceKind = ExecutionProvider.Cuda };
        options.PreferredBatchSizes.Add(4);
        options.PreferredBatchSizes.Add(8);

        var folder = await TritonModelRepository.ExportAsync(Registry, ModelUri.Parse("models:/affine@champion"), repository, options);
        #endregion

        Assert.Equal(Path.Combine(repository, "affine"), folder);
        var model = Path.Combine(folder, "2", "model.onnx");
        Assert.Equal(RegistryTestHash(model), v2.Artifacts[0].Sha256);
        var config = Pbtxt.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "config.pbtxt")));
        Assert.Equal("affine", config.Single("name"));
        Assert.Equal("onnxruntime_onnx", config.Single("platform"));
        Assert.Equal("16", config.Single("max_batch_size"));
        var input = Assert.Single(config.Messages("input"));
        Assert.Equal(("x", "TYPE_FP32"), (input.Single("name"), input.Single("data_type")));
        Assert.Equal(["1024"], input.All("dims"));
        var output = Assert.Single(config.Messages("output"));
        Assert.Equal(("y", "TYPE_FP32"), (output.Single("name"), output.Single("data_type")));
        var batching = Assert.Single(config.Messages("dynamic_batching"));
        Assert.Equal(["4", "8"], batching.All("preferred_batch_size"));
        Assert.Equal("2000", batching.Single("max_queue_delay_microseconds"));
        var group = Assert.Single(config.Messages("instance_group"));
        Assert.Equal(("2", "KIND_GPU"), (group.Single("count"), group.Single("kind")));
        var policy = Assert.Single(config.Messages("version_policy")).Messages("specific").Single();
        Assert.Equal(["2"], policy.All("versions"));

        // A rollback re-exports the older version: the config then names it.
        await TritonModelRepository.ExportAsync(Registry, ModelUri.ForVersion("affine", 1), repository);
        var rolledBack = Pbtxt.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "config.pbtxt")));
        Assert.Equal(["1"], rolledBack.Messages("version_policy").Single().Messages("specific").Single().All("versions"));
        var inputs = rolledBack.Messages("input").ToList();
        Assert.Equal([("x", "TYPE_FP32"), ("ids", "TYPE_INT64")], inputs.Select(i => (i.Single("name"), i.Single("data_type"))));
        Assert.Equal(["3"], inputs[1].All("dims"));
        Assert.Equal([("y", "TYPE_FP32"), ("z", "TYPE_INT64")], rolledBack.Messages("output").Select(o => (o.Single("name"), o.Single("data_type"))));
        Assert.True(File.Exists(Path.Combine(folder, "1", "model.onnx")));
    }

    [Fact]
    public async Task A_graph_without_a_batch_dimension_gets_max_batch_size_zero_and_whole_dims()
    {
        await RegisterBytesAsync("fixed", TestGraphs.FixedBatchOne());

        var folder = await TritonModelRepository.ExportAsync(Registry, ModelUri.ForVersion("fixed", 1), Files.PathOf("triton"));

        var config = Pbtxt.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "config.pbtxt")));
        Assert.Equal("0", config.Single("max_batch_size"));
        Assert.Empty(config.Messages("dynamic_batching"));
        Assert.Equal(["1", "2", "2"], config.Messages("input").Single().All("dims"));
    }

    [Fact]
    public async Task A_tampered_version_is_not_exported()
    {
        var version = await RegisterMarkedAsync("writer", 1);
        Tamper(version);

        await Assert.ThrowsAsync<ModelArtifactIntegrityException>(() => TritonModelRepository.ExportAsync(Registry, version.Uri, Files.PathOf("triton")));
        Assert.False(File.Exists(Files.PathOf("triton", "writer", "1", "model.onnx")));
        await Assert.ThrowsAsync<ArgumentException>(() => TritonModelRepository.ExportAsync(Registry, version.Uri, Files.PathOf("triton"), new TritonExportOptions { MaxBatchSize = 4, PreferredBatchSizes = { 8 } }));
    }

    private static string RegistryTestHash(string file) => Aigc.Inference.Tests.Registry.RegistryTestFiles.Sha256(file);
}
