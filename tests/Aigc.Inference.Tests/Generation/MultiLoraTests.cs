using Aigc.Training;
using static Aigc.Inference.Tests.Generation.EngineTestHelpers;

namespace Aigc.Inference.Tests.Generation;

public sealed class MultiLoraTests
{
    /// <param name="perRow">Whether to serve the per-row adapter export (one run per step, a slot per row) instead of the per-run one (one run per adapter group).</param>
    /// <param name="maxResident">The cap on resident adapters.</param>
    private static GenerationEngine LoraEngine(bool perRow, int maxResident = 8)
    {
        var engine = Engine(perRow ? TestModels.Models.LoraPerRow : TestModels.Models.Lora, o => o.MaxResidentAdapters = maxResident);
        foreach (var (name, (adapter, _)) in TestModels.Models.Adapters)
        {
            engine.RegisterAdapter(name, adapter);
        }

        return engine;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_with_adapter_X_gives_the_tokens_of_the_model_with_X_merged(bool perRow)
    {
        using var engine = LoraEngine(perRow);
        var prompt = Prompt(20, 8);
        using var merged = new ReferenceDecoder(TestModels.Models.Adapters["x"].Merged);
        using var baseModel = new ReferenceDecoder(TestModels.Models.Base);

        var withX = (await engine.CollectAsync(new GenerationRequest(prompt) { Adapter = "x", Sampling = new SamplingOptions { MaxTokens = 20 } })).Ids();
        var without = (await engine.CollectAsync(new GenerationRequest(prompt) { Sampling = new SamplingOptions { MaxTokens = 20 } })).Ids();

        Assert.Equal(merged.Greedy(prompt, 20), withX);
        Assert.Equal(baseModel.Greedy(prompt, 20), without);
        Assert.NotEqual(withX, without);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_mixing_three_adapters_and_the_base_gives_each_request_its_own_models_tokens(bool perRow)
    {
        using var engine = LoraEngine(perRow);
        string?[] adapters = ["x", "y", null, "z", "x", "y", null, "z"];
        var requests = adapters.Select((a, i) => new GenerationRequest(Prompt(30 + i, 3 + (2 * i))) { Adapter = a, Sampling = new SamplingOptions { MaxTokens = 8 + i } }).ToList();

        // Held until all eight wait, so one step admits them: short prompts prefill together (per-row export: mixed
        // adapters in one run; one adapter per run: those of the same adapter), the 17-token one alone in chunks.
        var results = await engine.CollectAdmittedTogetherAsync(requests);

        Assert.True(engine.PeakRunningSequences >= 4);
        Assert.True(engine.PromptsPrefilledTogether >= 2, $"{engine.PromptsPrefilledTogether} prompts prefilled together");
        for (var i = 0; i < requests.Count; i++)
        {
            using var reference = new ReferenceDecoder(adapters[i] is { } a ? TestModels.Models.Adapters[a].Merged : TestModels.Models.Base);
            Assert.Equal(reference.Greedy(requests[i].PromptTokens, 8 + i), results[i].Ids());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Adapters_load_on_first_use_the_least_recently_used_idle_one_is_unloaded_and_unregistering_refuses_new_requests(bool perRow)
    {
        using var engine = LoraEngine(perRow, maxResident: 2);
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

        var bad = Path.Combine(TestModels.Folder, "bad.onnx_adapter");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8]);
        foreach (var model in new[] { TestModels.Models.Lora, TestModels.Models.LoraPerRow })
        {
            using var lora = Engine(model);
            Assert.Throws<InvalidDataException>(() => lora.RegisterAdapter("bad", bad, preload: true));
            Assert.Throws<FileNotFoundException>(() => lora.RegisterAdapter("missing", bad + ".nope"));
        }

        // An adapter file for another model (16 wide instead of 32) names the right keys with the wrong shapes.
        var wrongShape = Path.Combine(TestModels.Folder, "wrong-shape.onnx_adapter");
        using var other = TestModels.Create(5, TestModels.SmallConfig with { EmbeddingSize = 16, Heads = 2 });
        var otherLora = LoraModel.Create(other, new LoraConfig { Rank = 2, TargetModules = ["c_attn"] });
        OnnxAdapterWriter.Write(otherLora, wrongShape);
        using var perRow = Engine(TestModels.Models.LoraPerRow);
        var error = Assert.Throws<InvalidDataException>(() => perRow.RegisterAdapter("wrong", wrongShape, preload: true));
        Assert.Contains("do not fit the layer", error.Message);
    }

    [Fact]
    public async Task The_per_row_export_serves_more_adapters_at_once_than_it_keeps_resident_with_mixed_ranks_in_one_run()
    {
        // One resident slot, three adapters of ranks 4, 2 and 8 running together: the stack grows and re-lays out its rank.
        using var engine = LoraEngine(perRow: true, maxResident: 1);
        string?[] adapters = ["y", "x", null, "z", "y"];
        var requests = adapters.Select((a, i) => new GenerationRequest(Prompt(60 + i, 4 + i)) { Adapter = a, Sampling = new SamplingOptions { MaxTokens = 10 } }).ToList();

        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => engine.CollectAsync(r))));

        for (var i = 0; i < requests.Count; i++)
        {
            using var reference = new ReferenceDecoder(adapters[i] is { } a ? TestModels.Models.Adapters[a].Merged : TestModels.Models.Base);
            Assert.Equal(reference.Greedy(requests[i].PromptTokens, 10), results[i].Ids());
        }
    }
}
