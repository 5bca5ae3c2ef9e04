using Aigc.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring.Tests;

public sealed class MonitoringOptionsTests
{
    [Fact]
    public void AddMonitoring_has_documented_defaults()
    {
        var services = new ServiceCollection();
        services.AddAigc().AddMonitoring();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        Assert.Equal(0.05, options.EvaluationSampleRate);
        Assert.Equal(1024, options.EvaluationQueueCapacity);
    }

    [Fact]
    public void Sample_rate_above_one_fails_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Monitoring:EvaluationSampleRate"] = "1.5" });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddMonitoring();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Monitoring:EvaluationSampleRate", error.Message, StringComparison.Ordinal);
    }
}
