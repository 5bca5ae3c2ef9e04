using Aigc.Inference.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Inference.Tests;

public sealed class AddInferenceModelsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("aigc-di-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Models_from_configuration_are_keyed_services_with_their_batching_options()
    {
        var path = Write("affine.onnx", TestGraphs.Affine());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:Inference:ExecutionProvider"] = "Cpu",
            ["Aigc:Inference:Models:affine:Path"] = path,
            ["Aigc:Inference:Models:affine:Session:IntraOpThreads"] = "1",
            ["Aigc:Inference:Models:affine:Batching:MaxBatchSize"] = "4",
            ["Aigc:Inference:Models:affine:Batching:MaxQueueDelay"] = "00:00:00.002",
            ["Aigc:Inference:Models:affine:Batching:PreferredBatchSizes:0"] = "2",
            ["Aigc:Inference:Models:affine:Batching:PriorityLevels"] = "3",
        }).Build();
        var services = new ServiceCollection();
        services.AddAigc(configuration.GetSection("Aigc")).AddInference();
        await using var provider = services.BuildServiceProvider();

        var model = provider.GetRequiredKeyedService<BatchedModel>("affine");

        Assert.Same(model, provider.GetRequiredKeyedService<BatchedModel>("affine"));
        Assert.Equal(ExecutionProvider.Cpu, model.Session.ExecutionProvider);
        Assert.Equal(4, model.Options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(2), model.Options.MaxQueueDelay);
        Assert.Equal([2], model.Options.PreferredBatchSizes);
        Assert.Equal(3, model.Options.PriorityLevels);
        var request = Requests.Affine(2, 1);
        Models.AssertSameOutputs(model.Session.Run(request), await model.InferAsync(request));
    }

    [Fact]
    public async Task The_served_models_report_their_health_to_the_health_checks()
    {
        var path = Write("affine.onnx", TestGraphs.Affine());
        var services = new ServiceCollection();
        services.AddAigc().AddInference(o => o.AddModel("affine", path, m =>
        {
            m.Session.ExecutionProvider = ExecutionProvider.Cpu;
            m.Batching.MaxQueueSize = 7;
        }));
        await using var provider = services.BuildServiceProvider();
        var source = Assert.Single(provider.GetServices<IModelHealthSource>());

        var before = source.GetHealth();
        _ = provider.GetRequiredKeyedService<BatchedModel>("affine");
        var after = source.GetHealth();

        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.Empty(before.LoadedModels);
        Assert.Equal(["affine"], after.LoadedModels);
        Assert.Equal(0, after.QueueDepth);
        Assert.Equal(7, after.QueueCapacity);
    }

    [Fact]
    public async Task With_no_model_configured_the_host_takes_no_part_in_the_health_checks()
    {
        var services = new ServiceCollection();
        services.AddAigc().AddInference();
        await using var provider = services.BuildServiceProvider();

        Assert.Null(Assert.Single(provider.GetServices<IModelHealthSource>()).GetHealth());
    }

    [Fact]
    public async Task A_model_added_in_code_can_be_prepared_at_load_and_is_disposed_with_the_container()
    {
        var path = Write("fixed.onnx", TestGraphs.FixedBatchOne());
        var services = new ServiceCollection();
        services.AddAigc().AddInference(o => o.AddModel("fixed", path, m =>
        {
            m.MakeBatchDimensionSymbolic = true;
            m.Session.ExecutionProvider = ExecutionProvider.Cpu;
            m.Batching.MaxBatchSize = 2;
        }));
        BatchedModel model;
        await using (var provider = services.BuildServiceProvider())
        {
            model = provider.GetRequiredKeyedService<BatchedModel>("fixed");
            var result = await model.InferAsync(new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[8], 2, 2, 2)));
            Assert.Equal([2L, 4L], result["y"].Shape.ToArray());
        }

        var late = new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[4], 1, 2, 2));
        var error = await Assert.ThrowsAsync<InferenceRejectedException>(() => model.InferAsync(late).AsTask());
        Assert.Equal(InferenceRejectionReason.ShuttingDown, error.Reason);
    }

    [Fact]
    public void An_unknown_model_name_says_which_models_are_configured()
    {
        var services = new ServiceCollection();
        services.AddAigc().AddInference(o => o.AddModel("writer", "/models/writer.onnx"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<BatchedModel>("reader"));

        Assert.Contains("No model named 'reader'", error.Message, StringComparison.Ordinal);
        Assert.Contains("writer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_model_settings_fail_at_start_up_naming_each_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:Inference:Models:bad:Batching:MaxBatchSize"] = "0",
            ["Aigc:Inference:Models:bad:Session:IntraOpThreads"] = "-1",
        });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddInference();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());

        Assert.Contains("Aigc:Inference:Models:bad:Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:Inference:Models:bad:Batching:MaxBatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:Inference:Models:bad:Session:IntraOpThreads", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] model)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllBytes(path, model);
        return path;
    }
}
