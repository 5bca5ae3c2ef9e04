using Aigc.Inference.Tests.Diffusion;

namespace Aigc.Inference.Tests.Routing;

/// <summary>Image models are served through the registry and the router like text models: alias moves swap versions.</summary>
public sealed class DiffusionRoutingTests : RouterTestBase
{
    [Fact]
    public async Task A_registered_diffusion_folder_serves_through_the_router_and_follows_the_alias()
    {
        var root = Path.Combine(Files.Root, "sd");
        var first = TinyStableDiffusion.Create(Path.Combine(root, "v1"), seed: 7);
        var second = TinyStableDiffusion.Create(Path.Combine(root, "v2"), seed: 8);
        await Registry.RegisterVersionAsync("poster", first);
        await Registry.RegisterVersionAsync("poster", second);
        await Registry.SetAliasAsync("poster", "champion", 1);
        var work = Path.Combine(Files.Root, "work");
        var router = Own(new ModelRouter<DiffusionPipeline>(Registry, "poster", new DiffusionPipelineLoader(new DiffusionPipelineOptions { IntraOpThreads = 1 }, work)));
        var request = new DiffusionRequest { Prompt = "a red mug", Steps = 3, Seed = 42 };

        var fromOne = await router.RunAsync(request, async (pipeline, r, ct) => await pipeline.GenerateAsync(r, cancellationToken: ct));
        await Registry.SetAliasAsync("poster", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 2, "the router serves version 2");
        var fromTwo = await router.RunAsync(request, async (pipeline, r, ct) => await pipeline.GenerateAsync(r, cancellationToken: ct));

        Assert.Equal(1, fromOne.Version.Version);
        Assert.Equal(2, fromTwo.Version.Version);
        using (var direct = new DiffusionPipeline(new DiffusionPipelineOptions { ModelPath = first, IntraOpThreads = 1 }))
        {
            Assert.Equal((await direct.GenerateAsync(request)).Images[0].Png.ToArray(), fromOne.Value.Images[0].Png.ToArray());
        }

        Assert.NotEqual(fromOne.Value.Images[0].Png.ToArray(), fromTwo.Value.Images[0].Png.ToArray());
        await WaitUntilAsync(() => Directory.GetDirectories(work).Length == 1, "the old version's folder is deleted once it is unloaded");
    }
}
