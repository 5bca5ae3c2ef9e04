using Aigc.Training.Tests.Trainer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Aigc.Training.Tests.DependencyInjection;

[Collection(TorchSerialCollection.Name)]
public sealed class CompressionServicesTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddTraining();
        return builder.Build();
    }

    [Fact]
    public async Task AddTraining_gives_a_model_compressor_with_the_configured_distillation_and_pruning_settings()
    {
        using var host = BuildHost(new()
        {
            ["Aigc:Training:Distillation:Temperature"] = "4",
            ["Aigc:Training:Distillation:Alpha"] = "0.9",
            ["Aigc:Training:MagnitudePruning:TargetSparsity"] = "0.4",
            ["Aigc:Training:MagnitudePruning:Scope"] = "PerLayer",
            ["Aigc:Training:MagnitudePruning:TargetModules:0"] = "c_fc",
            ["Aigc:Training:StructuredPruning:HeadRatio"] = "0.5",
            ["Aigc:Training:StructuredPruning:MlpChannelRatio"] = "0",
        });
        await host.StartAsync();
        var compressor = host.Services.GetRequiredService<ModelCompressor>();
        Assert.Same(compressor, host.Services.GetRequiredService<ModelCompressor>());

        torch.manual_seed(1);
        using var model = new Gpt2LanguageModel(SyntheticCorpus.Config);
        var reports = new List<PruningProgress>();
        var magnitude = compressor.PruneMagnitude(model, new Pruning.CallbackPruningProgress(reports.Add));
        Assert.Equal(2, magnitude.Masks.Count);
        Assert.All(magnitude.LayerSparsity.Values, s => Assert.InRange(s, 0.4, 0.401));
        Assert.Equal(2, reports.Count);

        using var smaller = compressor.PruneStructured(model).Model;
        Assert.Equal(2, smaller.Config.HeadsInLayer(0));
        Assert.Equal(model.Config.EffectiveInnerSize, smaller.Config.EffectiveInnerSize);

        var distillation = compressor.CreateDistillation(new FullFineTuningModel(smaller), model);
        Assert.Equal(4, distillation.Options.Temperature);
        Assert.Equal(0.9, distillation.Options.Alpha);
        Assert.Equal("distill-full", distillation.Method);
        await host.StopAsync();
    }

    [Fact]
    public void Bad_distillation_and_pruning_settings_fail_at_start_up_naming_the_keys()
    {
        using var host = BuildHost(new()
        {
            ["Aigc:Training:Distillation:Temperature"] = "0",
            ["Aigc:Training:MagnitudePruning:TargetSparsity"] = "1.5",
            ["Aigc:Training:StructuredPruning:HeadRatio"] = "0",
            ["Aigc:Training:StructuredPruning:MlpChannelRatio"] = "0",
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Start());
        var message = error is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.True(error is OptionsValidationException || (error is AggregateException a && a.InnerExceptions.All(e => e is OptionsValidationException)), error.GetType().Name);
        Assert.Contains("Aigc:Training:Distillation:Temperature", message, StringComparison.Ordinal);
        Assert.Contains("Aigc:Training:MagnitudePruning:TargetSparsity", message, StringComparison.Ordinal);
        Assert.Contains("Nothing to prune", message, StringComparison.Ordinal);
    }
}
