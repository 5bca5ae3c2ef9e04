using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Inference.Tests.Routing;

public sealed class AddInferenceRoutedModelsTests : RouterTestBase
{
    [Fact]
    public async Task A_registered_model_is_a_keyed_router_that_follows_its_alias()
    {
        var services = new ServiceCollection();
        #region add-inference
        services.AddAigc(o => o.RootPath = Files.Root)
            .AddModelRegistry()
            .AddInference(o =>
            {
                var writer = o.Models.Add("writer", "@champion");
                writer.Session.ExecutionProvider = ExecutionProvider.Cpu;
                writer.Session.IntraOpThreads = 1;
                writer.Routing.Shadow = "@challenger";
            });
        #endregion
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();
        foreach (var mark in new[] { 1f, 2f })
        {
            var file = Files.PathOf("src" + mark, "model.onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, VersionedGraphs.Marked(mark, seed: 1));
            await registry.RegisterVersionAsync("writer", file);
        }

        await registry.SetAliasAsync("writer", "champion", 1);
        await registry.SetAliasAsync("writer", "challenger", 2);

        #region serve
        var router = provider.GetRequiredKeyedService<ModelRouter<BatchedModel>>("writer");
        var first = await router.InferAsync(VersionedGraphs.Zeros());
        #endregion
        Assert.Equal("models:/writer/1", first.VersionUri.ToString());
        Assert.Equal(1f, VersionedGraphs.MarkOf(first.Value));
        Assert.Same(router, provider.GetRequiredKeyedService<ModelRouter<BatchedModel>>("writer"));
        Assert.Equal("models:/writer@challenger", router.GetStatus().Routes.Single(r => r.IsShadow).Target);

        await registry.SetAliasAsync("writer", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 2, "the keyed router follows the alias");
        Assert.Equal(2f, VersionedGraphs.MarkOf((await router.InferAsync(VersionedGraphs.Zeros())).Value));
        var health = Assert.Single(provider.GetServices<IModelHealthSource>()).GetHealth();
        Assert.NotNull(health);
        Assert.Contains("models:/writer@champion -> models:/writer/2", health.LoadedModels);

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<BatchedModel>("writer"));
        Assert.Contains("ModelRouter<BatchedModel>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registered_model_without_a_registry_or_with_a_bad_reference_fails_clearly()
    {
        var services = new ServiceCollection();
        services.AddAigc().AddInference(o => o.Models.Add("writer", "models:/writer@champion"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<ModelRouter<BatchedModel>>("writer"));
        Assert.Contains("AddModelRegistry()", error.Message, StringComparison.Ordinal);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:Inference:Models:bad:Model"] = "@",
            ["Aigc:Inference:Models:both:Model"] = "@champion",
            ["Aigc:Inference:Models:both:Path"] = "/models/both.onnx",
            ["Aigc:Inference:Models:canary:Model"] = "@champion",
            ["Aigc:Inference:Models:canary:Routing:Routes:0:Target"] = "@champion",
            ["Aigc:Inference:Models:canary:Routing:Routes:0:Weight"] = "-1",
        });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddInference();
        using var host = builder.Build();

        var invalid = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Inference:Models:bad:Model", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:Inference:Models:both:Path", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:Inference:Models:canary:Routing:Routes:0:Weight", invalid.Message, StringComparison.Ordinal);
    }
}
