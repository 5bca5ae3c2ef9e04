using Aigc.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Data.Tests;

public sealed class DataOptionsTests
{
    [Fact]
    public void AddData_binds_Aigc_Data()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Data:DatasetsDirectory"] = "ds", ["Aigc:Data:MaxRecordBytes"] = "4096" }).Build();
        var services = new ServiceCollection();
        services.AddAigc(configuration.GetSection("Aigc")).AddData();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DataOptions>>().Value;
        Assert.Equal("ds", options.DatasetsDirectory);
        Assert.Equal(4096, options.MaxRecordBytes);
        Assert.Equal("gpt2", options.Tokenizer);
    }

    [Fact]
    public void Invalid_data_setting_fails_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Data:MaxRecordBytes"] = "10" });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddData();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Data:MaxRecordBytes", error.Message, StringComparison.Ordinal);
    }
}
