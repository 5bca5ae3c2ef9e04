using static Aigc.Inference.Tests.Generation.EngineTestHelpers;

namespace Aigc.Inference.Tests.Generation;

public sealed class MultiLoraTests
{
    private static GenerationEngine LoraEngine(int maxResident = 8)
    {
        var engine = Engine(TestModels.Models.Lora, o => o.MaxResidentAdapters = maxResident);
        foreach (var (name, (adapter, _)) in TestModels.Models.Adapters)
        {
            engine.RegisterAdapter(name, adapter);
        }

        return engine;
    }

    [Fact]
    public async Task A_request_with_adapter_X_gives_the_tokens_of_the_model_with_X_merged()
    {
        using var engine = LoraEngine();
        var prompt = Prompt(20, 8);
        using var merged = new ReferenceDecoder(TestModels.Models.Adapters["x"].Merged);
        using var baseModel = new ReferenceDecoder(TestModels.Models.Base);

        var withX = (await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "x", Sampling = new SamplingOptions { MaxTokens = 20 } })).Ids();
        var without = (await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 20 } })).Ids();

        Assert.Equal(merged.Greedy(prompt, 20), withX);
        Assert.Equal(baseModel.Greedy(prompt, 20), without);
        Assert.NotEqual(withX, without);
    }

    [Fact]
    public async Task A_batch_mixing_three_adapters_and_the_base_gives_each_request_its_own_models_tokens()
    {
        using var engine = LoraEngine();
        string?[] adapters = ["x", "y", null, "z", "x", "y", null, "z"];
        var requests = adapters.Select((a, i) => new GenerationRequest(Prompt(30 + i, 3 + (4 * i))) { Adapter = a, Sampling = new SamplingOptions { MaxTokens = 8 + i } }).ToList();

        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => engine.CollectAsync(r))));

        Assert.True(engine.PeakRunningSequences >= 4);
        for (var i = 0; i < requests.Count; i++)
        {
            using var reference = new ReferenceDecoder(adapters[i] is { } a ? TestModels.Models.Adapters[a].Merged : TestModels.Models.Base);
            Assert.Equal(reference.Greedy(requests[i].PromptTokens, 8 + i), results[i].Ids());
        }
    }

    [Fact]
    public async Task Adapters_load_on_first_use_the_least_recently_used_idle_one_is_unloaded_and_unregistering_refuses_new_requests()
    {
        using var engine = LoraEngine(maxResident: 2);
        Assert.Empty(engine.ResidentAdapters);
        var prompt = Prompt(40, 4);

        await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "x", Sampling = new SamplingOptions { MaxTokens = 2 } });
        await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "y", Sampling = new SamplingOptions { MaxTokens = 2 } });
        await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "x", Sampling = new SamplingOptions { MaxTokens = 2 } });
        await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "z", Sampling = new SamplingOptions { MaxTokens = 2 } });

        Assert.Equal(["x", "z"], engine.ResidentAdapters.Order());
        Assert.True(engine.UnregisterAdapter("x"));
        Assert.DoesNotContain("x", engine.ResidentAdapters);
        Assert.Throws<KeyNotFoundException>(() => engine.GenerateAsync(new GenerationRequest(prompt) { Adapter = "x" }));

        // Re-registering under a new name serves the same weights.
        engine.RegisterAdapter("x2", TestModels.Models.Adapters["x"].Adapter, preload: true);
        using var merged = new ReferenceDecoder(TestModels.Models.Adapters["x"].Merged);
        Assert.Equal(merged.Greedy(prompt, 5), (await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "x2", Sampling = new SamplingOptions { MaxTokens = 5 } })).Ids());
    }

    [Fact]
    public void Adapters_are_refused_by_a_model_without_LoRA_inputs_and_a_bad_file_fails_when_loaded()
    {
        using var plain = Engine(TestModels.Models.Base);
        Assert.False(plain.SupportsAdapters);
        Assert.Contains("LoraInputs", Assert.Throws<NotSupportedException>(() => plain.RegisterAdapter("x", TestModels.Models.Adapters["x"].Adapter)).Message);

        using var lora = Engine(TestModels.Models.Lora);
        var bad = Path.Combine(TestModels.Folder, "bad.onnx_adapter");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Throws<InvalidDataException>(() => lora.RegisterAdapter("bad", bad, preload: true));
        Assert.Throws<FileNotFoundException>(() => lora.RegisterAdapter("missing", bad + ".nope"));
    }
}
