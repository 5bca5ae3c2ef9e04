using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Abstractions.Tests.DependencyInjection;

/// <summary>
/// The pattern every layer package follows (AddData, AddTraining, AddInference, AddMonitoring), shown with
/// an example layer: an options class bound from <c>Aigc:Widgets</c>, three AddWidgets overloads and
/// TryAdd registrations, so calling it twice changes nothing.
/// </summary>
public sealed class LayerExtensionPatternTests
{
    [Fact]
    public void Layer_options_bind_from_their_sub_section()
    {
        using var provider = Build(new() { ["Aigc:Widgets:Size"] = "12" }, b => b.AddWidgets());

        Assert.Equal(12, provider.GetRequiredService<IOptions<WidgetOptions>>().Value.Size);
        Assert.IsType<WidgetService>(provider.GetRequiredService<IWidgetService>());
    }

    [Fact]
    public void Layer_options_bound_from_an_explicit_section_and_configured_in_code()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Custom:Size"] = "5", ["Custom:Name"] = "x" }).Build();
        var services = new ServiceCollection();
        services.AddAigc().AddWidgets(configuration.GetSection("Custom")).AddWidgets(o => o.Name = "y");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<WidgetOptions>>().Value;
        Assert.Equal(5, options.Size);
        Assert.Equal("y", options.Name);
    }

    [Fact]
    public void Invalid_layer_setting_fails_at_start_up_naming_its_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Aigc:Widgets:Size"] = "1000" });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddWidgets();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Widgets:Size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_a_layer_twice_registers_nothing_twice()
    {
        var once = new ServiceCollection();
        once.AddAigc().AddWidgets();
        var twice = new ServiceCollection();
        twice.AddAigc().AddWidgets().AddWidgets();

        Assert.Equal(once.Count, twice.Count);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<AigcBuilder> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services.AddAigc(configuration.GetSection("Aigc")));
        return services.BuildServiceProvider();
    }
}

public sealed class WidgetOptions
{
    [Range(1, 100)]
    public int Size { get; set; } = 10;

    public string Name { get; set; } = "widget";
}

public interface IWidgetService;

internal sealed class WidgetService : IWidgetService;

public static class AigcBuilderWidgetExtensions
{
    public static AigcBuilder AddWidgets(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<WidgetOptions>("Widgets");
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<IWidgetService, WidgetService>(builder.Services);
        return builder;
    }

    public static AigcBuilder AddWidgets(this AigcBuilder builder, Action<WidgetOptions> configure)
    {
        builder.AddWidgets().AddLayerOptions<WidgetOptions>("Widgets").Configure(configure);
        return builder;
    }

    public static AigcBuilder AddWidgets(this AigcBuilder builder, IConfigurationSection section)
    {
        builder.AddWidgets().AddLayerOptions<WidgetOptions>("Widgets").Bind(section);
        return builder;
    }
}
