using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Model;

public sealed class Gpt2LanguageModelTests
{
    internal static Gpt2Config Tiny => new() { VocabSize = 97, Positions = 64, EmbeddingSize = 32, Layers = 2, Heads = 4, ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0 };

    [Fact]
    public void Parameters_have_the_Hugging_Face_GPT2_names_and_shapes()
    {
        using var model = new Gpt2LanguageModel(Tiny);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal([97L, 32], shapes["transformer.wte.weight"]);
        Assert.Equal([64L, 32], shapes["transformer.wpe.weight"]);
        Assert.Equal([32L, 96], shapes["transformer.h.0.attn.c_attn.weight"]);
        Assert.Equal([96L], shapes["transformer.h.0.attn.c_attn.bias"]);
        Assert.Equal([32L, 32], shapes["transformer.h.1.attn.c_proj.weight"]);
        Assert.Equal([32L, 128], shapes["transformer.h.1.mlp.c_fc.weight"]);
        Assert.Equal([128L, 32], shapes["transformer.h.1.mlp.c_proj.weight"]);
        Assert.Equal([32L], shapes["transformer.h.0.ln_1.weight"]);
        Assert.Equal([32L], shapes["transformer.ln_f.bias"]);
        Assert.Equal(2 + (2 * 12) + 2, shapes.Count);
        Assert.DoesNotContain(shapes.Keys, k => k.Contains("lm_head", StringComparison.Ordinal));
    }

    [Fact]
    public void Cached_incremental_decoding_equals_the_full_forward()
    {
        torch.manual_seed(1);
        using var model = new Gpt2LanguageModel(Tiny);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = torch.randint(0, 97, [2, 10], dtype: ScalarType.Int64);

        var full = model.Forward(ids).Logits;
        var prefix = model.Forward(ids[.., ..6]);
        var logits = new List<Tensor> { prefix.Logits };
        var past = prefix.Present;
        for (var t = 6; t < 10; t++)
        {
            var step = model.Forward(ids[.., t..(t + 1)], past: past);
            logits.Add(step.Logits);
            past = step.Present;
        }

        var incremental = torch.cat(logits, dim: 1);
        Assert.True(full.allclose(incremental, rtol: 1e-4, atol: 1e-5), $"max diff {(full - incremental).abs().max().item<float>()}");
    }

    [Fact]
    public void Padding_on_the_left_does_not_change_the_real_tokens_logits()
    {
        torch.manual_seed(2);
        using var model = new Gpt2LanguageModel(Tiny);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = torch.tensor(new long[] { 5, 6, 7 }).unsqueeze(0);
        var padded = torch.tensor(new long[] { 0, 0, 5, 6, 7 }).unsqueeze(0);
        var mask = torch.tensor(new long[] { 0, 0, 1, 1, 1 }).unsqueeze(0);
        var positions = torch.tensor(new long[] { 0, 0, 0, 1, 2 }).unsqueeze(0);

        var plain = model.Forward(ids).Logits;
        var withPadding = model.Forward(padded, mask, positions).Logits[.., 2..];

        Assert.True(plain.allclose(withPadding, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Unsupported_configurations_fail_listing_what_is_supported()
    {
        var error = Assert.Throws<NotSupportedException>(() => new Gpt2LanguageModel(Tiny with { Heads = 5, ActivationFunction = "relu" }));
        Assert.Contains("n_head must divide n_embd", error.Message, StringComparison.Ordinal);
        Assert.Contains("supported: 'gelu_new'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_long_sequences_fail_with_a_clear_error()
    {
        using var model = new Gpt2LanguageModel(Tiny);
        var error = Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(1, 65, dtype: ScalarType.Int64)));
        Assert.Contains("context of 64 positions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_json_round_trips_with_Hugging_Face_field_names()
    {
        var path = Path.GetTempFileName();
        Tiny.Save(path);
        var json = File.ReadAllText(path);
        Assert.Contains("\"n_embd\": 32", json, StringComparison.Ordinal);
        Assert.Contains("\"activation_function\": \"gelu_new\"", json, StringComparison.Ordinal);
        Assert.Equal(Tiny.EmbeddingSize, Gpt2Config.Load(path).EmbeddingSize);
        File.Delete(path);
    }
}
