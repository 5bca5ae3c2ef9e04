using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Inference.Tests.Registry;

public sealed class AddModelRegistryTests : IDisposable
{
    private readonly RegistryTestFiles _files = new();

    [Fact]
    public async Task Defaults_to_a_sqlite_registry_under_the_root_path()
    {
        var services = new ServiceCollection();
        services.AddAigc(o => o.RootPath = _files.Root).AddModelRegistry();
        await using var provider = services.BuildServiceProvider();

        var registry = Assert.IsType<SqliteModelRegistry>(provider.GetRequiredService<IModelRegistry>());
        Assert.Equal(Path.Combine(_files.Root, "registry", "registry.db"), registry.DatabasePath);
        Assert.Equal(Path.Combine(_files.Root, "registry", "artifacts"), registry.ArtifactsDirectory);

        var version = await registry.RegisterVersionAsync("writer", _files.WriteFile("m.onnx", seed: 1));
        var sha = version.Artifacts[0].Sha256;
        Assert.True(File.Exists(Path.Combine(_files.Root, "registry", "artifacts", "sha256", sha[..2], sha[2..])));
    }

    [Fact]
    public void Uses_postgres_when_a_connection_string_is_configured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:RootPath"] = _files.Root,
            ["Aigc:Inference:Registry:ConnectionString"] = "Host=127.0.0.1;Username=u;Password=p;Database=d",
            ["Aigc:Inference:Registry:Schema"] = "models_prod",
            ["Aigc:Inference:Registry:ArtifactsPath"] = "/mnt/shared/artifacts",
            ["Aigc:Inference:Registry:AliasPollInterval"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddAigc(configuration.GetSection("Aigc")).AddModelRegistry();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ModelRegistryOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(5), options.AliasPollInterval);
        var registry = Assert.IsType<PostgresModelRegistry>(provider.GetRequiredService<IModelRegistry>());
        Assert.Equal("models_prod", registry.Schema);
        Assert.Equal("/mnt/shared/artifacts", registry.ArtifactsDirectory);
    }

    [Fact]
    public void Invalid_settings_fail_at_start_up_naming_each_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:Inference:Registry:Schema"] = "Bad-Schema",
            ["Aigc:Inference:Registry:AliasPollInterval"] = "02:00:00",
        });
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc")).AddModelRegistry();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Start());
        Assert.Contains("Aigc:Inference:Registry:Schema", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:Inference:Registry:AliasPollInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_in_code_applies_after_binding_and_the_registry_is_one_singleton()
    {
        var services = new ServiceCollection();
        services.AddAigc(o => o.RootPath = _files.Root).AddModelRegistry(o => o.DatabasePath = "custom/models.db").AddModelRegistry();
        using var provider = services.BuildServiceProvider();

        var registry = Assert.IsType<SqliteModelRegistry>(provider.GetRequiredService<IModelRegistry>());
        Assert.Equal(Path.Combine(_files.Root, "custom", "models.db"), registry.DatabasePath);
        Assert.Same(registry, provider.GetRequiredService<IModelRegistry>());
        Assert.Single(services, d => d.ServiceType == typeof(IModelRegistry));
    }

    [Fact]
    public void Constructors_refuse_invalid_options_listing_every_error()
    {
        var options = new ModelRegistryOptions { Schema = "1bad", AliasPollInterval = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(() => new PostgresModelRegistry("Host=x", _files.Root, options));

        Assert.Contains("Schema", error.Message, StringComparison.Ordinal);
        Assert.Contains("AliasPollInterval", error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
    }

    public void Dispose() => _files.Dispose();
}
