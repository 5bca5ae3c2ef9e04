using Aigc.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Training.Tests;

public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void Valid_devices_are_accepted(string device)
    {
        var services = new ServiceCollection();
        services.AddAigc().AddTraining(o => o.Device = device);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(device, provider.GetRequiredService<IOptions<TrainingOptions>>().Value.Device);
    }

    [Fact]
    public void Unknown_device_fails_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Training:Device"] = "tpu" });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddTraining();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Training:Device", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cpu', 'cuda' or 'cuda:N'", error.Message, StringComparison.Ordinal);
    }
}
