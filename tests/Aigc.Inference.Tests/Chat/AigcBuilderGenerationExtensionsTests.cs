using Aigc.Inference.Tests.Generation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.TextGeneration;

namespace Aigc.Inference.Tests.Chat;

public sealed class AigcBuilderGenerationExtensionsTests
{
    [Fact]
    public async Task Each_model_is_registered_under_its_key_with_its_chat_client_kernel_services_and_middleware()
    {
        var services = new ServiceCollection();
        services.AddAigc()
            .AddTextGeneration("writer", o =>
            {
                o.Engine.ModelPath = TestModels.Models.Gpt2Vocab;
                o.Engine.IntraOpThreads = 1;
                o.ConfigureChatClient = b => b.UseGuardrails(g => g.BlockedTerms.Add("forbidden"));
            })
            .AddTextGeneration("lora", o =>
            {
                o.Engine.ModelPath = TestModels.Models.Lora;
                o.Engine.IntraOpThreads = 1;
                o.Adapters["x"] = TestModels.Models.Adapters["x"].Adapter;
            });
        await using var provider = services.BuildServiceProvider();

        var writer = provider.GetRequiredKeyedService<IChatClient>("writer");
        var refused = await writer.GetResponseAsync("say forbidden things");
        Assert.Equal(ChatFinishReason.ContentFilter, refused.FinishReason);
        var answer = await writer.GetResponseAsync("Hello", new ChatOptions { MaxOutputTokens = 4, ModelId = "writer" });
        Assert.Equal(4, answer.Usage!.OutputTokenCount);

        var lora = provider.GetRequiredKeyedService<GenerationEngine>("lora");
        Assert.Equal(["x"], lora.RegisteredAdapters);
        Assert.NotSame(lora, provider.GetRequiredKeyedService<GenerationEngine>("writer"));
        Assert.Same(provider.GetRequiredKeyedService<IChatCompletionService>("writer"), provider.GetRequiredKeyedService<ITextGenerationService>("writer"));
    }

    [Fact]
    public void Options_bind_from_configuration_and_a_bad_model_fails_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:Inference:TextGeneration:writer:Engine:MaxRunningSequences"] = "0",
            ["Aigc:Inference:TextGeneration:writer:TemplateName"] = "plain",
        });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddTextGeneration("writer");
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Inference:TextGeneration:writer:Engine:ModelPath", error.Message);
        Assert.Contains("Aigc:Inference:TextGeneration:writer:Engine:MaxRunningSequences", error.Message);

        var good = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Inference:TextGeneration:writer:Engine:ModelPath"] = TestModels.Models.Gpt2Vocab,
            ["Inference:TextGeneration:writer:Engine:MaxRunningSequences"] = "4",
            ["Inference:TextGeneration:writer:TemplateName"] = "plain",
            ["Inference:TextGeneration:writer:Aliases:0"] = "champion",
        }).Build();
        good.AddAigc(configuration).AddTextGeneration("writer");
        using var provider = good.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get("writer");
        Assert.Equal(4, options.Engine.MaxRunningSequences);
        Assert.Equal(["champion"], options.Aliases);
        Assert.Same(ChatPromptTemplate.Plain, provider.GetRequiredKeyedService<TextGenerator>("writer").Template);
    }
}
