using Aigc.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Inference.Tests;

public sealed class InferenceOptionsTests
{
    [Fact]
    public void AddInference_binds_the_execution_provider_by_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Inference:ExecutionProvider"] = "Cpu", ["Aigc:Inference:DeviceId"] = "1" }).Build();
        var services = new ServiceCollection();
        services.AddAigc(configuration.GetSection("Aigc")).AddInference();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<InferenceOptions>>().Value;
        Assert.Equal(ExecutionProvider.Cpu, options.ExecutionProvider);
        Assert.Equal(1, options.DeviceId);
    }

    [Fact]
    public void Out_of_range_device_fails_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Inference:DeviceId"] = "-3" });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddInference();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Inference:DeviceId", error.Message, StringComparison.Ordinal);
    }
}
