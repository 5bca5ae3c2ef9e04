using System.Text.Json;
using Aigc.WebApi.Tests.Fixtures;

namespace Aigc.WebApi.Tests;

[Collection(WebHostCollection.Name)]
public sealed class ModelsTests(WebHostFactory factory)
{
    [Fact]
    public async Task Models_lists_the_served_registry_version_and_each_of_its_adapters()
    {
        using var response = await factory.CreateClient().GetAsync("/v1/models");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("list", body.GetProperty("object").GetString());
        var models = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["tiny-gpt2", "tiny-gpt2:formal", "tiny-gpt2:playful"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.All(models, m => Assert.Equal("model", m.GetProperty("object").GetString()));
        Assert.All(models, m => Assert.Equal("aigc", m.GetProperty("owned_by").GetString()));
        Assert.All(models, m => Assert.Equal("tiny-gpt2", m.GetProperty("root").GetString()));
        Assert.All(models, m => Assert.Equal(1, m.GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, models[0].GetProperty("adapter").ValueKind);
        Assert.Equal("formal", models[1].GetProperty("adapter").GetString());
    }

    [Fact]
    public async Task The_served_version_is_the_registrys_champion()
    {
        var registry = factory.Services.GetRequiredService<IModelRegistry>();
        var champion = await registry.ResolveAsync("models:/tiny-gpt2@champion");
        Assert.Equal(1, champion.Version);
        Assert.Contains(champion.Artifacts, a => a.Path == "model.onnx");
        Assert.Contains(champion.Artifacts, a => a.Path == "adapters/formal.onnx_adapter");
    }
}
