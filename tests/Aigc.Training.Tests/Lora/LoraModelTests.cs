using System.Text.Json;
using Aigc.Training.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Lora;

public sealed class LoraModelTests
{
    private static (Gpt2LanguageModel Model, Tensor Ids) Setup(int seed = 3)
    {
        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(Gpt2LanguageModelTests.Tiny);
        model.eval();
        return (model, torch.randint(0, 97, [2, 7], dtype: ScalarType.Int64));
    }

    private static void RandomizeAdapters(LoraModel lora)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in lora.Model.named_parameters())
        {
            if (name.Contains(".lora_B.", StringComparison.Ordinal))
            {
                parameter.normal_(0, 0.2);
            }
        }
    }

    [Fact]
    public void Only_the_adapter_trains_and_the_base_is_frozen()
    {
        var (model, _) = Setup();
        var lora = LoraModel.Create(model, new LoraConfig { Rank = 4, TargetModules = ["c_attn"] });

        var trainable = lora.TrainableParameters().Select(p => p.Name).Order().ToList();
        Assert.Equal(
            ["transformer.h.0.attn.c_attn.lora_A.default.weight", "transformer.h.0.attn.c_attn.lora_B.default.weight", "transformer.h.1.attn.c_attn.lora_A.default.weight", "transformer.h.1.attn.c_attn.lora_B.default.weight"],
            trainable);
        var (count, total) = lora.CountParameters();
        Assert.Equal(2 * ((4 * 32) + (96 * 4)), count);
        Assert.True(total > count);
        Assert.False(model.TokenEmbedding.requires_grad);
        Assert.Equal(["transformer.h.0.attn.c_attn", "transformer.h.1.attn.c_attn"], lora.TargetPaths);
    }

    [Fact]
    public void A_new_adapter_is_a_no_op_and_B_starts_at_zero()
    {
        var (model, ids) = Setup();
        using var noGrad = torch.no_grad();
        var before = model.Forward(ids).Logits.clone();
        var lora = LoraModel.Create(model, new LoraConfig());

        Assert.True(before.allclose(model.Forward(ids).Logits));
        var state = lora.GetAdapterState();
        Assert.Equal(0, state["base_model.model.transformer.h.0.attn.c_attn.lora_B.weight"].abs().sum().item<float>());
        Assert.True(state["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"].abs().sum().item<float>() > 0);
        Assert.Equal([8L, 32], state["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"].shape);
        Assert.Equal([96L, 8], state["base_model.model.transformer.h.0.attn.c_attn.lora_B.weight"].shape);
    }

    [Fact]
    public void Merged_forward_equals_unmerged_and_unmerge_restores_the_base()
    {
        var (model, ids) = Setup();
        using var noGrad = torch.no_grad();
        var baseLogits = model.Forward(ids).Logits.clone();
        var baseWeight = model.Blocks[0].Attention.CAttn.Weight.clone();
        var lora = LoraModel.Create(model, new LoraConfig { TargetModulesRegex = LoraConfig.AllLinear, Alpha = 16 });
        RandomizeAdapters(lora);
        var unmerged = model.Forward(ids).Logits.clone();

        lora.Merge();
        var merged = model.Forward(ids).Logits.clone();
        lora.Unmerge();

        Assert.False(unmerged.allclose(baseLogits, atol: 1e-3));
        Assert.True((merged - unmerged).abs().max().item<float>() <= 1e-5);
        Assert.True(model.Blocks[0].Attention.CAttn.Weight.allclose(baseWeight, atol: 1e-6));
        Assert.True(model.Forward(ids).Logits.allclose(unmerged, atol: 1e-5));
    }

    [Fact]
    public void Disabled_adapters_compute_the_base_model_even_when_merged()
    {
        var (model, ids) = Setup();
        using var noGrad = torch.no_grad();
        var baseLogits = model.Forward(ids).Logits.clone();
        var lora = LoraModel.Create(model, new LoraConfig());
        RandomizeAdapters(lora);

        lora.AdaptersDisabled = true;
        Assert.True(model.Forward(ids).Logits.allclose(baseLogits, atol: 1e-5));
        lora.AdaptersDisabled = false;
        lora.Merge();
        lora.AdaptersDisabled = true;
        Assert.True(model.Forward(ids).Logits.allclose(baseLogits, atol: 1e-5));
    }

    [Fact]
    public void MergeAndUnload_keeps_the_adapted_function_without_adapters()
    {
        var (model, ids) = Setup();
        using var noGrad = torch.no_grad();
        var lora = LoraModel.Create(model, new LoraConfig { TargetModules = ["c_attn", "c_fc"] });
        RandomizeAdapters(lora);
        var adapted = model.Forward(ids).Logits.clone();

        var plain = lora.MergeAndUnload();

        Assert.DoesNotContain(plain.named_parameters(), p => p.name.Contains("lora_", StringComparison.Ordinal));
        Assert.True((plain.Forward(ids).Logits - adapted).abs().max().item<float>() <= 1e-5);
    }

    [Fact]
    public void Named_adapters_switch_the_function_and_the_trainable_set()
    {
        var (model, ids) = Setup();
        using var noGrad = torch.no_grad();
        var lora = LoraModel.Create(model, new LoraConfig(), "a");
        lora.AddAdapter("b", new LoraConfig { Rank = 2 });
        RandomizeAdapters(lora);

        var a = model.Forward(ids).Logits.clone();
        lora.SetActiveAdapter("b");
        var b = model.Forward(ids).Logits.clone();

        Assert.False(a.allclose(b, atol: 1e-4));
        Assert.All(lora.TrainableParameters(), p => Assert.Contains(".b.", p.Name, StringComparison.Ordinal));
        Assert.Throws<KeyNotFoundException>(() => lora.SetActiveAdapter("c"));
    }

    [Theory]
    [InlineData(new[] { "transformer.h.0.attn.c_attn" }, null, 1)]
    [InlineData(new[] { "c_proj" }, null, 4)]
    [InlineData(null, @"transformer\.h\.1\..*c_.*", 4)]
    [InlineData(null, LoraConfig.AllLinear, 8)]
    public void Targets_match_by_exact_name_suffix_regex_or_all_linear(string[]? names, string? regex, int expected)
    {
        var (model, _) = Setup();
        var lora = LoraModel.Create(model, new LoraConfig { TargetModules = names, TargetModulesRegex = regex });
        Assert.Equal(expected, lora.TargetPaths.Count);
    }

    [Fact]
    public void Setting_a_regex_replaces_the_default_target_list()
    {
        var config = new LoraConfig { TargetModulesRegex = LoraConfig.AllLinear };
        Assert.Null(config.TargetModules);
        Assert.True(config.IsTarget("transformer.h.0.mlp.c_fc"));
        Assert.Equal(["c_fc"], new LoraConfig { TargetModulesRegex = ".*", TargetModules = ["c_fc"] }.TargetModules);
    }

    [Fact]
    public void A_target_matching_nothing_fails_listing_the_layers()
    {
        var (model, _) = Setup();
        var error = Assert.Throws<NotSupportedException>(() => LoraModel.Create(model, new LoraConfig { TargetModules = ["q_proj"] }));
        Assert.Contains("transformer.h.0.attn.c_attn", error.Message, StringComparison.Ordinal);
        Assert.Contains("LM head", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaling_follows_alpha_over_r_rslora_and_patterns()
    {
        var config = new LoraConfig { Rank = 4, Alpha = 8, RankPattern = new Dictionary<string, int> { ["h.1.attn.c_attn"] = 16 }, AlphaPattern = new Dictionary<string, double> { ["c_fc"] = 32 } };
        Assert.Equal(2.0, config.ScalingFor("transformer.h.0.attn.c_attn"));
        Assert.Equal(16, config.RankFor("transformer.h.1.attn.c_attn"));
        Assert.Equal(0.5, config.ScalingFor("transformer.h.1.attn.c_attn"));
        Assert.Equal(8.0, config.ScalingFor("transformer.h.0.mlp.c_fc"));
        Assert.Equal(4.0, (config with { UseRsLora = true }).ScalingFor("transformer.h.0.attn.c_attn"));
    }

    [Fact]
    public void Bias_and_modules_to_save_train_and_are_saved_under_PEFT_keys()
    {
        var (model, _) = Setup();
        var lora = LoraModel.Create(model, new LoraConfig { Bias = LoraBias.LoraOnly, ModulesToSave = ["ln_f"] });

        var keys = lora.GetAdapterState().Keys.ToList();
        Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.bias", keys);
        Assert.DoesNotContain("base_model.model.transformer.h.0.mlp.c_fc.bias", keys);
        Assert.Contains("base_model.model.transformer.ln_f.weight", keys);
        Assert.Contains(lora.TrainableParameters(), p => p.Name == "transformer.ln_f.bias");
    }

    [Fact]
    public void Adapter_config_json_has_PEFT_field_names()
    {
        var json = JsonSerializer.Serialize(new LoraConfig { TargetModules = ["c_attn"], UseRsLora = true, Init = LoraInit.Gaussian });
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("LORA", root.GetProperty("peft_type").GetString());
        Assert.Equal(8, root.GetProperty("r").GetInt32());
        Assert.Equal("c_attn", root.GetProperty("target_modules")[0].GetString());
        Assert.True(root.GetProperty("fan_in_fan_out").GetBoolean());
        Assert.Equal("none", root.GetProperty("bias").GetString());
        Assert.Equal("gaussian", root.GetProperty("init_lora_weights").GetString());
        var back = JsonSerializer.Deserialize<LoraConfig>("""{"peft_type":"LORA","r":4,"lora_alpha":16,"target_modules":"all-linear","bias":"lora_only","init_lora_weights":true}""")!;
        Assert.Equal(LoraConfig.AllLinear, back.TargetModulesRegex);
        Assert.Null(back.TargetModules);
        Assert.Equal(LoraBias.LoraOnly, back.Bias);
        Assert.Equal(4.0, back.ScalingFor("x"));
    }
}
