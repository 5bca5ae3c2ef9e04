using Aigc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Abstractions.Tests.DependencyInjection;

public sealed class AigcServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-di-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IHost BuildHost(string appsettingsJson, Action<IHostApplicationBuilder>? extra = null)
    {
        var path = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(path, appsettingsJson);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonFile(path, optional: false);
        builder.Services.AddAigc(builder.Configuration.GetSection("Aigc"));
        extra?.Invoke(builder);
        return builder.Build();
    }

    [Fact]
    public async Task Host_built_from_appsettings_resolves_the_Aigc_options()
    {
        using var host = BuildHost("""{ "Aigc": { "RootPath": "/tmp/aigc-root", "Seed": 7, "MaxDegreeOfParallelism": 3 } }""");
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<AigcOptions>>().Value;
        Assert.Equal("/tmp/aigc-root", options.RootPath);
        Assert.Equal(7, options.Seed);
        Assert.Equal(3, options.MaxDegreeOfParallelism);
        await host.StopAsync();
    }

    [Fact]
    public async Task Invalid_value_fails_at_start_up_naming_the_key()
    {
        using var host = BuildHost("""{ "Aigc": { "Seed": -1 } }""");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Aigc:Seed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_setting_is_named_in_one_error()
    {
        using var host = BuildHost("""{ "Aigc": { "Seed": -1, "MaxDegreeOfParallelism": 0, "RootPath": "" } }""");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Aigc:Seed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:MaxDegreeOfParallelism", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aigc:RootPath", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public void Calling_AddAigc_twice_registers_nothing_twice()
    {
        var once = new ServiceCollection();
        once.AddAigc();
        var twice = new ServiceCollection();
        var first = twice.AddAigc();
        var second = twice.AddAigc();

        Assert.Same(first, second);
        Assert.Equal(once.Count, twice.Count);
        var duplicates = twice
            .GroupBy(d => (d.ServiceType, Impl: d.ImplementationType ?? d.ImplementationInstance?.GetType() ?? d.ImplementationFactory?.Method.DeclaringType))
            .Where(g => g.Count() > 1)
            .Select(g => g.Key.ServiceType.Name)
            .ToList();
        Assert.Empty(duplicates);
        Assert.Single(twice, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void TimeProvider_is_added_with_TryAdd_so_a_host_registration_wins()
    {
        var services = new ServiceCollection();
        var custom = new FixedTimeProvider();
        services.AddSingleton<TimeProvider>(custom);
        services.AddAigc();

        using var provider = services.BuildServiceProvider();
        Assert.Same(custom, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Action_overload_configures_the_options()
    {
        var services = new ServiceCollection();
        services.AddAigc(o => o.Seed = 1234);

        using var provider = services.BuildServiceProvider();
        Assert.Equal(1234, provider.GetRequiredService<IOptions<AigcOptions>>().Value.Seed);
        Assert.Equal(Path.GetFullPath(".aigc"), provider.GetRequiredService<IOptions<AigcOptions>>().Value.GetFullRootPath());
    }

    [Fact]
    public void A_second_call_with_another_section_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aigc:Seed"] = "1",
            ["Other:Seed"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddAigc(configuration.GetSection("Aigc"));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddAigc(configuration.GetSection("Other")));
        Assert.Contains("'Aigc'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_are_checked_at_the_public_edge()
    {
        Assert.Throws<ArgumentNullException>("services", () => AigcServiceCollectionExtensions.AddAigc(null!));
        Assert.Throws<ArgumentNullException>("configure", () => new ServiceCollection().AddAigc((Action<AigcOptions>)null!));
        Assert.Throws<ArgumentNullException>("configuration", () => new ServiceCollection().AddAigc((IConfiguration)null!));
    }

    private sealed class FixedTimeProvider : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
