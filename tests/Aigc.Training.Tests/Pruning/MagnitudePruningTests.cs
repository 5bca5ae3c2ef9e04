using Aigc.Training.Tests.Trainer;
using TorchSharp;
using Xunit.Abstractions;

namespace Aigc.Training.Tests.Pruning;

[Collection(TorchSerialCollection.Name)]
public sealed class MagnitudePruningTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-prune-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Gpt2LanguageModel Model(int seed)
    {
        torch.manual_seed(seed);
        return new Gpt2LanguageModel(SyntheticCorpus.Config);
    }

    private static long Zeros(Gpt2LanguageModel model, string name)
    {
        var parameter = model.named_parameters().Single(p => p.name == name).parameter;
        return parameter.numel() - parameter.count_nonzero().item<long>();
    }

    [Theory]
    [InlineData(PruningScope.Global, 0.6)]
    [InlineData(PruningScope.PerLayer, 0.3)]
    public async Task Magnitude_pruning_reaches_its_sparsity_and_recovery_keeps_the_zeros_at_zero(PruningScope scope, double target)
    {
        var model = Model(seed: 3);
        var reports = new List<PruningProgress>();
        var result = MagnitudePruner.Prune(model, new MagnitudePruningOptions { TargetSparsity = target, Scope = scope }, new CallbackPruningProgress(reports.Add));

        // Count zeros over the eight Conv1D weights (2 layers × c_attn, attn.c_proj, c_fc, mlp.c_proj).
        Assert.Equal(8, result.Masks.Count);
        var measured = MagnitudePruner.MeasureSparsity(model);
        output.WriteLine($"{scope}: sparsity {measured:P3} (target {target:P0}); per layer {string.Join(", ", result.LayerSparsity.Values.Select(s => s.ToString("P1")))}");
        Assert.InRange(measured, target, target + 0.001);
        Assert.Equal(result.Sparsity, measured, 9);
        if (scope == PruningScope.PerLayer)
        {
            Assert.All(result.LayerSparsity.Values, s => Assert.InRange(s, target, target + 0.001));
        }
        else
        {
            // One threshold: layers initialised with smaller weights (the residual projections) lose more.
            Assert.True(result.LayerSparsity["transformer.h.0.attn.c_proj.weight"] > result.LayerSparsity["transformer.h.0.attn.c_attn.weight"]);
        }

        Assert.Equal(8, reports.Count(r => r.Stage == "prune"));
        Assert.Equal(0, Zeros(model, "transformer.wte.weight"));

        var zerosBefore = result.Masks.Keys.ToDictionary(k => k, k => Zeros(model, k));
        var sparse = new SparseFineTuningModel(model, result.Masks);
        var validation = SyntheticCorpus.CorpusA(32, 32, seed: 99);
        using var trainer = new CausalLmTrainer(sparse, new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, scope.ToString()),
            MaxSteps = 30,
            BatchSize = 8,
            LearningRate = 5e-3,
            WeightDecay = 0.1,
            Seed = 2,
        });
        var before = trainer.Evaluate(validation);
        var recovered = await trainer.TrainAsync(SyntheticCorpus.CorpusA(64, 32, seed: 4), validation);

        output.WriteLine($"recovery: validation loss {before:F4} -> {recovered.EvalLoss:F4}");
        Assert.True(recovered.EvalLoss < before - 0.5, $"recovery did not train: {before:F4} -> {recovered.EvalLoss:F4}");
        foreach (var (name, zeros) in zerosBefore)
        {
            Assert.Equal(zeros, Zeros(model, name));
        }

        Assert.Equal(measured, sparse.Sparsity, 9);
        using var saved = Gpt2Checkpoint.Load(recovered.OutputDirectory);
        Assert.Equal(measured, MagnitudePruner.MeasureSparsity(saved), 9);
        var (_, metadata) = TensorStateFile.Load(Path.Combine(recovered.OutputDirectory, Gpt2Checkpoint.WeightsFile));
        Assert.Equal(measured, double.Parse(metadata[SparseFineTuningModel.SparsityMetadataKey], System.Globalization.CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void Target_modules_restrict_pruning_to_the_named_layers()
    {
        var model = Model(seed: 4);
        var result = MagnitudePruner.Prune(model, new MagnitudePruningOptions { TargetSparsity = 0.5, TargetModules = ["c_fc"] });
        Assert.Equal(["transformer.h.0.mlp.c_fc.weight", "transformer.h.1.mlp.c_fc.weight"], result.Masks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.5, MagnitudePruner.MeasureSparsity(model, ["c_fc"]), 3);
        Assert.Equal(0, Zeros(model, "transformer.h.0.attn.c_attn.weight"));
    }

    [Fact]
    public void Bad_pruning_settings_give_typed_errors_that_say_what_was_wrong()
    {
        var model = Model(seed: 5);
        var sparsity = Assert.Throws<ArgumentException>(() => MagnitudePruner.Prune(model, new MagnitudePruningOptions { TargetSparsity = 1.5 }));
        Assert.Contains("TargetSparsity", sparsity.Message, StringComparison.Ordinal);
        var modules = Assert.Throws<ArgumentException>(() => MagnitudePruner.Prune(model, new MagnitudePruningOptions { TargetModules = ["q_proj"] }));
        Assert.Contains("q_proj", modules.Message, StringComparison.Ordinal);
        Assert.Equal(0, MagnitudePruner.MeasureSparsity(model));

        using var mask = torch.ones(3, 3, dtype: torch.ScalarType.Bool);
        Assert.Throws<ArgumentException>(() => new SparseFineTuningModel(model, new Dictionary<string, torch.Tensor> { ["transformer.h.0.mlp.c_fc.weight"] = mask }));
        Assert.Throws<ArgumentException>(() => new SparseFineTuningModel(model, new Dictionary<string, torch.Tensor> { ["nope.weight"] = mask }));

        var structured = Assert.Throws<ArgumentException>(() => StructuredPruner.Prune(model, new StructuredPruningOptions { HeadRatio = 0, MlpChannelRatio = 0 }));
        Assert.Contains("Nothing to prune", structured.Message, StringComparison.Ordinal);
        var ratio = Assert.Throws<ArgumentException>(() => StructuredPruner.Prune(model, new StructuredPruningOptions { HeadRatio = 1.2, CalibrationBatchSize = 0 }));
        Assert.Contains("HeadRatio", ratio.Message, StringComparison.Ordinal);
        Assert.Contains("CalibrationBatchSize", ratio.Message, StringComparison.Ordinal);
        var calibration = Assert.Throws<ArgumentException>(() => StructuredPruner.Prune(model, new StructuredPruningOptions { Importance = PruningImportance.GradientTimesWeight }));
        Assert.Equal("calibration", calibration.ParamName);
    }
}

/// <summary>Calls a delegate synchronously on every pruning report.</summary>
internal sealed class CallbackPruningProgress(Action<PruningProgress> callback) : IProgress<PruningProgress>
{
    public void Report(PruningProgress value) => callback(value);
}
