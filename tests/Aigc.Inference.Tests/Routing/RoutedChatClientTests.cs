using Aigc.Inference.Tests.Generation;
using Aigc.Training;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aigc.Inference.Tests.Routing;

public sealed class RoutedChatClientTests : RouterTestBase
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "Name a colour.")];

    private static readonly Lazy<string> OtherDecoder = new(() =>
    {
        using var model = TestModels.Create(12, TestModels.Gpt2VocabConfig);
        var path = Path.Combine(TestModels.Folder, "gpt2-vocab-other.onnx");
        Directory.CreateDirectory(TestModels.Folder);
        OnnxExporter.Export(model, path);
        return path;
    });

    [Fact]
    public async Task Every_chat_response_and_generation_result_names_the_version_that_produced_it()
    {
        await Registry.RegisterVersionAsync("chat-writer", TestModels.Models.Gpt2Vocab);
        await Registry.RegisterVersionAsync("chat-writer", OtherDecoder.Value);
        await Registry.SetAliasAsync("chat-writer", "champion", 1);
        #region chat
        var engineOptions = new GenerationEngineOptions { IntraOpThreads = 1, MaxRunningSequences = 4, MaxTokensPerStep = 64, PrefillChunkSize = 16 };
        var router = Own(new ModelRouter<TextGenerator>(Registry, "chat-writer", new TextGeneratorLoader(engineOptions, TextGeneratorTests.Gpt2)));
        using IChatClient client = new RoutedChatClient(router);
        var options = new ChatOptions { MaxOutputTokens = 8 };

        var first = await client.GetResponseAsync(Conversation, options);
        #endregion

        Assert.Equal("models:/chat-writer/1", first.ModelId);
        Assert.Equal("models:/chat-writer/1", first.AdditionalProperties!["model_version"]);
        Assert.Equal(await DirectAsync(TestModels.Models.Gpt2Vocab, options), first.Text);

        await Registry.SetAliasAsync("chat-writer", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].ServingVersion?.Version == 2, "the router serves version 2");
        var second = await client.GetResponseAsync(Conversation, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, options))
        {
            updates.Add(update);
        }

        Assert.Equal("models:/chat-writer/2", second.ModelId);
        Assert.NotEqual(first.Text, second.Text);
        Assert.Equal(await DirectAsync(OtherDecoder.Value, options), second.Text);
        Assert.All(updates, u => Assert.Equal("models:/chat-writer/2", u.ModelId));
        Assert.All(updates, u => Assert.Equal("models:/chat-writer/2", u.AdditionalProperties!["model_version"]));
        Assert.Equal(second.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Same(router, client.GetService<ModelRouter<TextGenerator>>());

        using var lease = await router.AcquireAsync();
        var result = await lease.Model.GenerateAsync("Hello", new SamplingOptions { MaxTokens = 3 });
        Assert.Equal(lease.VersionUri, result.ModelVersion);
    }

    [Fact]
    public async Task A_routed_model_serves_its_configured_adapters_and_a_version_they_do_not_fit_leaves_the_old_one_serving()
    {
        await Registry.RegisterVersionAsync("lora-writer", TestModels.Models.Lora); // LoRA inputs
        await Registry.RegisterVersionAsync("lora-writer", TestModels.Models.Base); // none
        await Registry.SetAliasAsync("lora-writer", "champion", 1);
        var (adapter, merged) = TestModels.Models.Adapters["x"];
        var engineOptions = new GenerationEngineOptions { IntraOpThreads = 1, MaxRunningSequences = 4, MaxTokensPerStep = 64, PrefillChunkSize = 16 };
        var loader = new TextGeneratorLoader(engineOptions, TextGeneratorTests.Gpt2) { Adapters = new Dictionary<string, string> { ["x"] = adapter } };
        var router = Own(new ModelRouter<TextGenerator>(Registry, "lora-writer", loader));
        var prompt = EngineTestHelpers.Prompt(9, 6);
        var request = new GenerationRequest(prompt) { Adapter = "x", Sampling = new SamplingOptions { MaxTokens = 8 } };
        using var reference = new ReferenceDecoder(merged);
        var expected = reference.Greedy(prompt, 8);

        using (var lease = await router.AcquireAsync())
        {
            Assert.Equal(["x"], lease.Model.Engine.RegisteredAdapters);
            Assert.Equal(expected, (await lease.Model.Engine.CollectAsync(request)).Ids());
        }

        await Registry.SetAliasAsync("lora-writer", "champion", 2);
        await WaitUntilAsync(() => router.GetStatus().Routes[0].FailedVersion == 2, "version 2 fails its load");
        Assert.Contains("cannot serve its configured adapters", router.GetStatus().Routes[0].LastError, StringComparison.Ordinal);
        using (var lease = await router.AcquireAsync())
        {
            Assert.Equal(1, lease.Version.Version);
            Assert.Equal(expected, (await lease.Model.Engine.CollectAsync(request)).Ids());
        }
    }

    [Fact]
    public async Task A_version_that_carries_adapter_files_serves_them_when_the_loader_takes_adapters_from_versions()
    {
        var folder = Path.Combine(Files.Root, "bundle");
        Directory.CreateDirectory(folder);
        File.Copy(TestModels.Models.Lora, Path.Combine(folder, "model.onnx"));
        var (adapter, merged) = TestModels.Models.Adapters["y"];
        File.Copy(adapter, Path.Combine(folder, "tone.onnx_adapter"));
        await Registry.RegisterVersionAsync("bundled", folder);
        await Registry.SetAliasAsync("bundled", "champion", 1);
        var engineOptions = new GenerationEngineOptions { IntraOpThreads = 1, MaxRunningSequences = 4, MaxTokensPerStep = 64, PrefillChunkSize = 16 };
        var router = Own(new ModelRouter<TextGenerator>(Registry, "bundled", new TextGeneratorLoader(engineOptions, TextGeneratorTests.Gpt2) { AdaptersFromVersion = true }));
        var prompt = EngineTestHelpers.Prompt(11, 5);
        using var reference = new ReferenceDecoder(merged);

        using var lease = await router.AcquireAsync();

        Assert.Equal(["tone"], lease.Model.Engine.RegisteredAdapters);
        var tokens = await lease.Model.Engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "tone", Sampling = new SamplingOptions { MaxTokens = 8 } });
        Assert.Equal(reference.Greedy(prompt, 8), tokens.Ids());
    }

    [Fact]
    public async Task AddTextGeneration_with_a_registered_model_serves_a_routed_chat_client()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAigc(o => o.RootPath = Files.Root)
            .AddModelRegistry()
            .AddTextGeneration("chat-writer", o =>
            {
                o.Model = "@champion";
                o.Engine.IntraOpThreads = 1;
                o.Engine.MaxRunningSequences = 4;
                o.Engine.MaxTokensPerStep = 64;
            });
        using var host = builder.Build();
        await host.StartAsync(); // the options validate without an Engine.ModelPath
        var registry = host.Services.GetRequiredService<IModelRegistry>();
        await registry.RegisterVersionAsync("chat-writer", TestModels.Models.Gpt2Vocab);
        await registry.SetAliasAsync("chat-writer", "champion", 1);

        var client = host.Services.GetRequiredKeyedService<IChatClient>("chat-writer");
        var response = await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 4 });

        Assert.Equal("models:/chat-writer/1", response.ModelId);
        Assert.NotNull(client.GetService<ModelRouter<TextGenerator>>());
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<TextGenerator>("chat-writer"));
        Assert.Contains("RoutedChatClient", error.Message, StringComparison.Ordinal);
        var health = Assert.Single(host.Services.GetServices<IModelHealthSource>(), s => s.GetHealth()?.Name == "Aigc.Inference.TextGeneration:chat-writer").GetHealth();
        Assert.Equal(["models:/chat-writer@champion -> models:/chat-writer/1"], health!.LoadedModels);
        await host.StopAsync();
    }

    private static async Task<string> DirectAsync(string decoder, ChatOptions options)
    {
        using var engine = EngineTestHelpers.Engine(decoder);
        using IChatClient direct = new GenerationChatClient(new TextGenerator(engine, TextGeneratorTests.Gpt2));
        return (await direct.GetResponseAsync(Conversation, options)).Text;
    }
}
