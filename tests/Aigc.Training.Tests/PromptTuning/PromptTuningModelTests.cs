using System.Text.Json;
using Aigc.Data;
using Aigc.Training.Tests.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.PromptTuning;

[Collection(TorchSerialCollection.Name)]
public sealed class PromptTuningModelTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-prompt-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Gpt2LanguageModel Base(int seed = 3)
    {
        torch.manual_seed(seed);
        var model = new Gpt2LanguageModel(SyntheticCorpus.Config);
        model.eval();
        return model;
    }

    /// <summary>Each sequence repeats one of 8 tokens: a frozen random model spreads its mass over 512; virtual tokens can steer it.</summary>
    private static List<PackedSequence> ToyTask(int count, int seed)
    {
        var random = new Random(seed);
        var data = new List<PackedSequence>();
        for (var n = 0; n < count; n++)
        {
            var ids = Enumerable.Range(0, 16).Select(_ => random.Next(8)).ToArray();
            data.Add(new PackedSequence(ids, ids.ToArray(), Enumerable.Range(0, 16).ToArray(), Enumerable.Repeat(1, 16).ToArray()));
        }

        return data;
    }

    [Fact]
    public void Only_the_virtual_tokens_train_and_the_base_is_frozen()
    {
        var tuned = PromptTuningModel.Create(Base(), new PromptTuningConfig { NumVirtualTokens = 5 });

        var trainable = tuned.TrainableParameters();
        Assert.Equal(["prompt_embeddings"], trainable.Select(p => p.Name));
        Assert.Equal([5L, 64], trainable[0].Parameter.shape);
        Assert.True(trainable[0].Parameter.requires_grad);
        Assert.All(tuned.Model.named_parameters(), p => Assert.False(p.parameter.requires_grad, p.name));
        Assert.Equal("prompt-tuning", tuned.Method);
    }

    [Fact]
    public async Task Training_lowers_the_loss_on_a_toy_task_and_changes_only_the_virtual_tokens()
    {
        // A wider initialisation than GPT-2's 0.02 gives the frozen random model logits large enough to be steered.
        torch.manual_seed(3);
        var model = new Gpt2LanguageModel(SyntheticCorpus.Config with { InitializerRange = 0.3 });
        var baseWeights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var tuned = PromptTuningModel.Create(model, new PromptTuningConfig { NumVirtualTokens = 8 });
        var initial = tuned.PromptEmbeddings.detach().clone();
        var validation = ToyTask(16, seed: 2);
        using var trainer = new CausalLmTrainer(tuned, new TrainerOptions
        {
            OutputDirectory = _root,
            MaxSteps = 60,
            BatchSize = 8,
            LearningRate = 0.1,
            WarmupSteps = 3,
            Schedule = LearningRateSchedule.Constant,
        });

        var before = trainer.Evaluate(validation);
        var result = await trainer.TrainAsync(ToyTask(64, seed: 1), validation);

        output.WriteLine($"validation loss {before:F3} -> {result.EvalLoss:F3}");
        Assert.True(result.EvalLoss < 0.8 * before, $"validation loss {before:F3} -> {result.EvalLoss:F3}");
        Assert.True((tuned.PromptEmbeddings.detach() - initial).abs().max().item<float>() > 1e-2);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.detach().eq(baseWeights[name]).all().item<bool>(), $"base weight {name} changed");
        }

        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, PromptTuningModel.WeightsFile)));
    }

    [Fact]
    public void The_adapter_is_saved_as_PEFT_does_and_reloads_to_identical_logits()
    {
        var tuned = PromptTuningModel.Create(Base(), new PromptTuningConfig { NumVirtualTokens = 6, BaseModelNameOrPath = "tiny-gpt" });
        using (torch.no_grad())
        {
            tuned.PromptEmbeddings.normal_(0, 0.5);
        }

        var directory = Path.Combine(_root, "adapter");
        tuned.Save(directory);

        using (var reader = SafeTensorsReader.Open(Path.Combine(directory, "adapter_model.safetensors")))
        {
            var tensor = Assert.Single(reader.Header.Tensors);
            Assert.Equal("prompt_embeddings", tensor.Name);
            Assert.Equal([6L, 64], tensor.Shape.ToArray());
            Assert.Equal(SafeTensorsDType.F32, tensor.DType);
        }

        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "adapter_config.json"))))
        {
            var root = config.RootElement;
            Assert.Equal("PROMPT_TUNING", root.GetProperty("peft_type").GetString());
            Assert.Equal("CAUSAL_LM", root.GetProperty("task_type").GetString());
            Assert.Equal(6, root.GetProperty("num_virtual_tokens").GetInt32());
            Assert.Equal(64, root.GetProperty("token_dim").GetInt32());
            Assert.Equal(1, root.GetProperty("num_transformer_submodules").GetInt32());
            Assert.Equal(4, root.GetProperty("num_attention_heads").GetInt32());
            Assert.Equal(2, root.GetProperty("num_layers").GetInt32());
            Assert.Equal("RANDOM", root.GetProperty("prompt_tuning_init").GetString());
            Assert.Equal("tiny-gpt", root.GetProperty("base_model_name_or_path").GetString());
        }

        var reloaded = PromptTuningModel.Load(Base(), directory);
        var ids = torch.randint(0, SyntheticCorpus.Vocab, [2, 10], dtype: ScalarType.Int64);
        var mask = torch.ones(2, 10, dtype: ScalarType.Int64);
        var positions = torch.arange(10, dtype: ScalarType.Int64).unsqueeze(0).expand(2, 10);
        using var noGrad = torch.no_grad();
        var expected = tuned.ComputeLogits(ids, mask, positions);
        var actual = reloaded.ComputeLogits(ids, mask, positions);
        Assert.Equal([2L, 10, SyntheticCorpus.Vocab], actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>(), "reloaded logits differ");
        Assert.Equal(tuned.Config, reloaded.Config);
    }

    [Fact]
    public void A_PEFT_written_config_loads_and_a_wrong_shape_is_refused()
    {
        // As PEFT 0.17 writes it for GPT-2-family models (extra keys are ignored).
        var json = """
            {
              "auto_mapping": null,
              "base_model_name_or_path": "gpt2",
              "inference_mode": true,
              "num_attention_heads": 4,
              "num_layers": 2,
              "num_transformer_submodules": 1,
              "num_virtual_tokens": 3,
              "peft_type": "PROMPT_TUNING",
              "prompt_tuning_init": "TEXT",
              "prompt_tuning_init_text": "Count up:",
              "revision": null,
              "task_type": "CAUSAL_LM",
              "token_dim": 64,
              "tokenizer_kwargs": null,
              "tokenizer_name_or_path": "gpt2"
            }
            """;
        var directory = Path.Combine(_root, "peft");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "adapter_config.json"), json);
        TensorStateFile.Save(Path.Combine(directory, "adapter_model.safetensors"), new Dictionary<string, Tensor> { ["prompt_embeddings"] = torch.full(3, 64, 0.25f) });

        var loaded = PromptTuningModel.Load(Base(), directory);

        Assert.Equal(PromptTuningInit.Text, loaded.Config.Init);
        Assert.Equal("Count up:", loaded.Config.InitText);
        Assert.Equal(0.25f, loaded.PromptEmbeddings.mean().item<float>(), 6);

        TensorStateFile.Save(Path.Combine(directory, "adapter_model.safetensors"), new Dictionary<string, Tensor> { ["prompt_embeddings"] = torch.zeros(4, 64) });
        var error = Assert.Throws<InvalidDataException>(() => PromptTuningModel.Load(Base(), directory));
        Assert.Contains("[4, 64]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Virtual_tokens_are_prepended_with_PEFT_positions_and_mask_and_logits_align_with_the_real_tokens()
    {
        var model = Base();
        var tuned = PromptTuningModel.Create(model, new PromptTuningConfig { NumVirtualTokens = 4 });
        var ids = torch.randint(0, SyntheticCorpus.Vocab, [2, 7], dtype: ScalarType.Int64);
        using var noGrad = torch.no_grad();

        // PEFT: inputs_embeds = cat(prompts, wte(ids)); the model numbers positions 0 … N+T−1; the mask gets N ones.
        var embeddings = torch.cat([tuned.PromptEmbeddings.unsqueeze(0).expand(2, 4, 64), model.TokenEmbedding.index_select(0, ids.reshape(-1)).reshape(2, 7, 64)], dim: 1);
        var peft = model.ForwardEmbeddings(embeddings).Logits[.., 4.., ..];
        var ours = tuned.ComputeLogits(ids, torch.ones(2, 7, dtype: ScalarType.Int64), torch.arange(7, dtype: ScalarType.Int64).unsqueeze(0).expand(2, 7));
        Assert.True((peft - ours).abs().max().item<float>() <= 1e-5);

        // Right padding: the real tokens' logits do not change, so the virtual tokens stay visible through the mask.
        var padded = torch.cat([ids, torch.zeros(2, 3, dtype: ScalarType.Int64)], dim: 1);
        var mask = torch.cat([torch.ones(2, 7, dtype: ScalarType.Int64), torch.zeros(2, 3, dtype: ScalarType.Int64)], dim: 1);
        var paddedLogits = tuned.ComputeLogits(padded, mask, torch.arange(10, dtype: ScalarType.Int64).unsqueeze(0).expand(2, 10));
        Assert.True((paddedLogits[.., ..7, ..] - ours).abs().max().item<float>() <= 1e-5);

        // And the virtual tokens matter.
        var plain = model.Forward(ids).Logits;
        Assert.True((plain - ours).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Text_init_copies_the_token_embeddings_of_the_text_cut_or_repeated_to_N()
    {
        torch.manual_seed(1);
        var model = new Gpt2LanguageModel(new Gpt2Config { Positions = 64, EmbeddingSize = 16, Layers = 1, Heads = 2 });
        var tokenizer = RecordTokenizer.Gpt2Tokenizer;
        const string text = "Write it in a friendly tone";
        var ids = tokenizer.EncodeToIds(text);

        foreach (var count in new[] { 3, ids.Count + 4 })
        {
            var tuned = PromptTuningModel.Create(model, new PromptTuningConfig { NumVirtualTokens = count, Init = PromptTuningInit.Text, InitText = text, TokenizerNameOrPath = "gpt2" }, tokenizer);
            var expectedIds = Enumerable.Range(0, count).Select(i => (long)ids[i % ids.Count]).ToArray();
            var expected = model.TokenEmbedding.detach().index_select(0, torch.tensor(expectedIds));
            Assert.True(tuned.PromptEmbeddings.detach().eq(expected).all().item<bool>(), $"text init with {count} virtual tokens");
        }
    }

    [Fact]
    public void Invalid_configurations_are_refused_with_every_problem_listed()
    {
        var model = Base();
        var error = Assert.Throws<NotSupportedException>(() => PromptTuningModel.Create(model, new PromptTuningConfig { NumVirtualTokens = 0, Init = PromptTuningInit.Text }));
        Assert.Contains("num_virtual_tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("prompt_tuning_init_text", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer_name_or_path", error.Message, StringComparison.Ordinal);

        var mismatch = Assert.Throws<NotSupportedException>(() => PromptTuningModel.Create(model, new PromptTuningConfig { TokenDim = 768, NumLayers = 12 }));
        Assert.Contains("token_dim 768", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("num_layers 12", mismatch.Message, StringComparison.Ordinal);
    }
}
