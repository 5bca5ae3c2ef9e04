using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Aigc.WebApi.Tests.Fixtures;

/// <summary>
/// The real web host (its Program, middleware and services) over a fresh root folder, serving the tiny test model;
/// the admin key is <see cref="AdminKey"/>.
/// </summary>
public sealed class WebHostFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key";

    public string Root { get; } = TinyModel.NewRoot();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Aigc:RootPath", Root);
        builder.UseSetting("WebApi:SeedPath", TinyModel.Folder);
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
