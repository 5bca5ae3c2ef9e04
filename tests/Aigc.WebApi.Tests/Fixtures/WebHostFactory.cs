using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Aigc.WebApi.Tests.Fixtures;

/// <summary>
/// The real web host (its Program, middleware and services) over a fresh root folder, serving the tiny test model;
/// the admin key is <see cref="AdminKey"/>. Call <see cref="InitializeAsync"/> before use (xunit does for fixtures).
/// </summary>
public sealed class WebHostFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private string? _seed;

    public string Root { get; } = TinyModel.NewRoot();

    public async Task InitializeAsync() => _seed = await TinyModel.GetFolderAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Aigc:RootPath", Root);
        builder.UseSetting("WebApi:SeedPath", _seed ?? throw new InvalidOperationException("Call InitializeAsync first: it makes the tiny model."));
        builder.UseSetting("WebApi:AdminApiKey", AdminKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}

/// <summary>One host shared by the tests of the <see cref="WebHostCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class WebHostCollection : ICollectionFixture<WebHostFactory>
{
    public const string Name = "web host";
}
