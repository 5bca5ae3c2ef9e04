using System.Text.Json;
using Aigc.Training.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Lora;

public sealed class PeftAdapterFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-peft-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_saved_adapter_loads_onto_a_fresh_base_with_identical_logits()
    {
        torch.manual_seed(11);
        var model = new Gpt2LanguageModel(Gpt2LanguageModelTests.Tiny);
        model.eval();
        var basePath = Path.Combine(_root, "base");
        Gpt2Checkpoint.Save(model, basePath);
        var lora = LoraModel.Create(model, new LoraConfig { Rank = 4, Alpha = 16, TargetModules = ["c_attn", "c_fc"], Bias = LoraBias.LoraOnly });
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.parameter.requires_grad))
            {
                parameter.add_(torch.randn_like(parameter).mul(0.1));
            }
        }

        #region peft-save-load
        var adapterPath = Path.Combine(_root, "adapter");
        lora.Save(adapterPath); // adapter_config.json + adapter_model.safetensors, as PEFT writes them
        #endregion
        var ids = torch.randint(0, 97, [2, 9], dtype: ScalarType.Int64);
        using var noGrad = torch.no_grad();
        var expected = model.Forward(ids).Logits;

        var reloaded = LoraModel.Load(Gpt2Checkpoint.Load(basePath), adapterPath);
        var actual = reloaded.Model.Forward(ids).Logits;

        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-6), $"max diff {(expected - actual).abs().max().item<float>()}");
        using var reader = SafeTensorsReader.Open(Path.Combine(adapterPath, LoraModel.WeightsFile));
        var keys = reader.Header.Tensors.Select(t => t.Name).ToList();
        Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight", keys);
        Assert.Contains("base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight", keys);
        Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.bias", keys);
        Assert.DoesNotContain(keys, k => k.Contains(".default.", StringComparison.Ordinal));
        Assert.Equal([4L, 32], reader.Header["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"].Shape.ToArray());
        Assert.Equal("pt", reader.Header.Metadata["format"]);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(adapterPath, LoraModel.ConfigFile)));
        Assert.Equal("LORA", config.RootElement.GetProperty("peft_type").GetString());
        Assert.Equal(16, config.RootElement.GetProperty("lora_alpha").GetDouble());
        Assert.Equal("lora_only", config.RootElement.GetProperty("bias").GetString());
    }

    [Fact]
    public void A_PEFT_file_with_adapter_names_in_keys_or_without_prefix_still_loads()
    {
        Assert.Equal("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight", PeftKeys.Normalize("base_model.model.transformer.h.0.attn.c_attn.lora_A.default.weight"));
        Assert.Equal("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight", PeftKeys.Normalize("transformer.h.0.attn.c_attn.lora_B.weight"));
    }

    [Fact]
    public void An_adapter_that_does_not_fit_fails_naming_the_key()
    {
        torch.manual_seed(12);
        var model = new Gpt2LanguageModel(Gpt2LanguageModelTests.Tiny);
        var adapterPath = Path.Combine(_root, "adapter");
        LoraModel.Create(model, new LoraConfig { Rank = 4 }).Save(adapterPath);
        var other = new Gpt2LanguageModel(Gpt2LanguageModelTests.Tiny with { EmbeddingSize = 64 });

        var error = Assert.Throws<InvalidDataException>(() => LoraModel.Load(other, adapterPath));
        Assert.Contains("c_attn.lora_A.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_without_the_transformer_prefix_and_with_old_buffers_loads()
    {
        torch.manual_seed(13);
        var model = new Gpt2LanguageModel(Gpt2LanguageModelTests.Tiny);
        var tensors = model.named_parameters().ToDictionary(p => p.name["transformer.".Length..], p => (Tensor)p.parameter.detach().clone());
        tensors["h.0.attn.bias"] = torch.ones(1, 1, 64, 64);
        tensors["lm_head.weight"] = model.TokenEmbedding.detach().clone();
        var loaded = new Gpt2LanguageModel(Gpt2LanguageModelTests.Tiny);

        Gpt2Checkpoint.LoadWeights(loaded, tensors);

        Assert.True(loaded.TokenEmbedding.eq(model.TokenEmbedding).all().item<bool>());
        tensors.Remove("ln_f.weight");
        var error = Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.LoadWeights(loaded, tensors));
        Assert.Contains("transformer.ln_f.weight", error.Message, StringComparison.Ordinal);
    }
}
