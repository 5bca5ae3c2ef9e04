using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aigc.WebApi.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class AdminAliasTests(WebHostFactory factory)
{
    private static HttpRequestMessage Move(string alias, int version, string? key = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/models/tiny-gpt2/alias") { Content = JsonContent.Create(new { alias, version }) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    [Fact]
    public async Task Without_the_key_or_with_a_wrong_one_the_alias_endpoint_is_401_and_moves_nothing()
    {
        var client = factory.CreateClient();
        using var none = await client.SendAsync(Move("blocked", 1));
        var error = await none.AssertErrorAsync(401, null);
        Assert.Contains("X-Api-Key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = await client.SendAsync(Move("blocked", 1, key: "nope"));
        await wrong.AssertErrorAsync(401, null);

        var model = await factory.Services.GetRequiredService<IModelRegistry>().GetModelAsync("tiny-gpt2");
        Assert.False(model!.Aliases.ContainsKey("blocked"));
    }

    [Fact]
    public async Task With_the_key_the_alias_moves_in_the_registry()
    {
        var client = factory.CreateClient();
        using var response = await client.SendAsync(Move("canary", 1, key: WebHostFactory.AdminKey));

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("canary", body.GetProperty("alias").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(1, (await factory.Services.GetRequiredService<IModelRegistry>().ResolveAsync("models:/tiny-gpt2@canary")).Version);

        using var bearer = await client.SendAsync(Move("shadow", 1, bearer: WebHostFactory.AdminKey));
        Assert.Equal(200, (int)bearer.StatusCode);
    }

    [Fact]
    public async Task Moving_champion_swaps_the_served_version_live_with_its_adapters_and_moving_it_back_restores_it()
    {
        var client = factory.CreateClient();
        var registry = factory.Services.GetRequiredService<IModelRegistry>();
        var second = await registry.RegisterVersionAsync("tiny-gpt2", await TinyModel.GetFolderAsync());
        try
        {
            using (var move = await client.SendAsync(Move("champion", second.Version, key: WebHostFactory.AdminKey)))
            {
                Assert.Equal(200, (int)move.StatusCode);
            }

            // The router follows the alias: new requests get the new version (and its adapters), with no restart.
            await WaitForFingerprintAsync(client, $"aigc-tiny-gpt2-v{second.Version}");
            using var models = await client.GetAsync("/v1/models");
            var ids = (await models.JsonAsync()).GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
            Assert.Contains("tiny-gpt2", ids);
            Assert.Contains(ids, id => id!.StartsWith("tiny-gpt2:", StringComparison.Ordinal));
        }
        finally
        {
            using var back = await client.SendAsync(Move("champion", 1, key: WebHostFactory.AdminKey));
            await WaitForFingerprintAsync(client, "aigc-tiny-gpt2-v1");
        }
    }

    private static async Task WaitForFingerprintAsync(HttpClient client, string fingerprint)
    {
        string? seen = null;
        for (var attempt = 0; attempt < 200 && seen != fingerprint; attempt++)
        {
            using var response = await client.PostJsonAsync("/v1/completions", new { model = "tiny-gpt2", prompt = "A linen shirt", max_tokens = 1 });
            seen = (await response.JsonAsync()).GetProperty("system_fingerprint").GetString();
            if (seen != fingerprint)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(fingerprint, seen);
    }

    [Fact]
    public async Task Moving_to_a_missing_version_is_404_and_a_bad_alias_is_400()
    {
        var client = factory.CreateClient();
        using var missing = await client.SendAsync(Move("champion", 99, key: WebHostFactory.AdminKey));
        await missing.AssertErrorAsync(404, "version");
        using var bad = await client.SendAsync(Move("not an alias!", 1, key: WebHostFactory.AdminKey));
        await bad.AssertErrorAsync(400, "alias");
        Assert.Equal(1, (await factory.Services.GetRequiredService<IModelRegistry>().ResolveAsync("models:/tiny-gpt2@champion")).Version);
    }
}
