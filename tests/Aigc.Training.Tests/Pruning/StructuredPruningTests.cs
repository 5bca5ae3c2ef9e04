using System.Text.Json;
using Aigc.Training.Tests.Distillation;
using Aigc.Training.Tests.Export;
using Aigc.Training.Tests.Trainer;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Pruning;

[Collection(TorchSerialCollection.Name)]
public sealed class StructuredPruningTests(ITestOutputHelper output) : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-structured-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Tensor Weight(Gpt2LanguageModel model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    [Fact]
    public void Structured_pruning_builds_smaller_shapes_that_save_load_and_export_with_parity_to_TorchSharp()
    {
        using var folder = OnnxTestModels.Folder(output, "structured-pruned");
        using var model = OnnxTestModels.Create(seed: 31);
        var reports = new List<PruningProgress>();
        var result = StructuredPruner.Prune(model, new StructuredPruningOptions { HeadRatio = 0.5, MlpChannelRatio = 0.25 }, progress: new CallbackPruningProgress(reports.Add));
        using var pruned = result.Model;

        // 4 heads of 8 → 2 per layer; n_inner 128 → 96; n_embd stays 32.
        Assert.Equal(96, pruned.Config.InnerSize);
        Assert.All(Enumerable.Range(0, 2), l => Assert.Equal(2, pruned.Config.HeadsInLayer(l)));
        Assert.All(result.RemovedHeads, removed => Assert.Equal(2, removed.Count));
        Assert.Equal(new long[] { 32, 48 }, Weight(pruned, "transformer.h.0.attn.c_attn.weight").shape);
        Assert.Equal(new long[] { 48 }, Weight(pruned, "transformer.h.0.attn.c_attn.bias").shape);
        Assert.Equal(new long[] { 16, 32 }, Weight(pruned, "transformer.h.1.attn.c_proj.weight").shape);
        Assert.Equal(new long[] { 32, 96 }, Weight(pruned, "transformer.h.1.mlp.c_fc.weight").shape);
        Assert.Equal(new long[] { 96, 32 }, Weight(pruned, "transformer.h.0.mlp.c_proj.weight").shape);
        Assert.True(result.ParametersAfter < result.ParametersBefore);
        Assert.Equal(pruned.parameters().Sum(p => p.numel()), result.ParametersAfter);
        Assert.Equal(2, reports.Count(r => r.Stage == "prune"));

        // Saved in the Hugging Face layout: pruned_heads records the original indices; the folder loads back.
        var checkpoint = Path.Combine(folder.Path, "checkpoint");
        Gpt2Checkpoint.Save(pruned, checkpoint);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, Gpt2Checkpoint.ConfigFile))))
        {
            Assert.Equal(96, json.RootElement.GetProperty("n_inner").GetInt32());
            Assert.Equal(4, json.RootElement.GetProperty("n_head").GetInt32());
            Assert.Equal(result.RemovedHeads[1], json.RootElement.GetProperty("pruned_heads").GetProperty("1").EnumerateArray().Select(e => e.GetInt32()));
        }

        using var loaded = Gpt2Checkpoint.Load(checkpoint);
        var path = folder.File("pruned.onnx");
        OnnxExporter.ExportCheckpoint(checkpoint, path);
        var fullPath = folder.File("unpruned.onnx");
        OnnxExporter.Export(model, fullPath);
        output.WriteLine($"ONNX size: unpruned {new FileInfo(fullPath).Length} bytes, pruned {new FileInfo(path).Length} bytes; parameters {result.ParametersBefore} -> {result.ParametersAfter}");
        Assert.True(new FileInfo(path).Length < new FileInfo(fullPath).Length);

        using var ort = new OrtDecoder(path);
        Assert.Equal(2, ort.Heads);
        Assert.Equal(8, ort.HeadSize);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        const int Prefix = 5, Total = 9;
        var (ids, mask, positions) = OnnxExporterTests.Inputs(new Random(3), 3, Total);
        var torchPrefix = loaded.Forward(OnnxExporterTests.T(OnnxExporterTests.Slice(ids, 0, Prefix)), OnnxExporterTests.T(OnnxExporterTests.Slice(mask, 0, Prefix)), OnnxExporterTests.T(OnnxExporterTests.Slice(positions, 0, Prefix)));
        var ortPrefix = ort.Run(OnnxExporterTests.Slice(ids, 0, Prefix), OnnxExporterTests.Slice(mask, 0, Prefix), OnnxExporterTests.Slice(positions, 0, Prefix));
        var torchNext = loaded.Forward(OnnxExporterTests.T(OnnxExporterTests.Slice(ids, Prefix, Total)), OnnxExporterTests.T(mask), OnnxExporterTests.T(OnnxExporterTests.Slice(positions, Prefix, Total)), torchPrefix.Present);
        var ortNext = ort.Run(OnnxExporterTests.Slice(ids, Prefix, Total), mask, OnnxExporterTests.Slice(positions, Prefix, Total), ortPrefix);

        var logitsDiff = Math.Max(OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(torchPrefix.Logits), ortPrefix.Logits), OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(torchNext.Logits), ortNext.Logits));
        var cacheDiff = 0f;
        for (var i = 0; i < 2; i++)
        {
            cacheDiff = Math.Max(cacheDiff, OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(torchNext.Present[i].Key), ortNext.Keys[i]));
            cacheDiff = Math.Max(cacheDiff, OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(torchNext.Present[i].Value), ortNext.Values[i]));
        }

        output.WriteLine($"ORT vs TorchSharp, pruned model: logits {logitsDiff:E2}, cache {cacheDiff:E2}");
        Assert.True(logitsDiff <= Tolerance, $"logits differ by {logitsDiff}");
        Assert.True(cacheDiff <= Tolerance, $"cache differs by {cacheDiff}");
        Assert.True(torchNext.Logits.abs().max().item<float>() > 1f);
    }

    [Fact]
    public void Removing_heads_and_channels_whose_weights_are_zero_leaves_the_logits_unchanged()
    {
        using var model = OnnxTestModels.Create(seed: 32);
        int[][] deadHeads = [[1, 3], [0, 2]];
        var deadChannels = new[] { Enumerable.Range(0, 32).Select(i => (4 * i) + 1).ToArray(), Enumerable.Range(96, 32).ToArray() };
        using (torch.no_grad())
        {
            for (var l = 0; l < 2; l++)
            {
                var block = model.Blocks[l];
                foreach (var head in deadHeads[l])
                {
                    for (var part = 0; part < 3; part++)
                    {
                        block.Attention.CAttn.Weight[.., ((part * 32) + (head * 8))..((part * 32) + (head * 8) + 8)] = torch.tensor(0f);
                        block.Attention.CAttn.Bias[((part * 32) + (head * 8))..((part * 32) + (head * 8) + 8)] = torch.tensor(0f);
                    }

                    block.Attention.CProj.Weight[((head * 8))..((head * 8) + 8)] = torch.tensor(0f);
                }

                foreach (var channel in deadChannels[l])
                {
                    block.Mlp.CFc.Weight[.., channel] = torch.tensor(0f);
                    block.Mlp.CFc.Bias[channel] = torch.tensor(0f);
                    block.Mlp.CProj.Weight[channel] = torch.tensor(0f);
                }
            }
        }

        var result = StructuredPruner.Prune(model, new StructuredPruningOptions { HeadRatio = 0.5, MlpChannelRatio = 0.25 });
        using var pruned = result.Model;
        pruned.eval();

        Assert.Equal(deadHeads[0], result.RemovedHeads[0]);
        Assert.Equal(deadHeads[1], result.RemovedHeads[1]);
        Assert.Empty(result.KeptChannels[0].Intersect(deadChannels[0]));
        Assert.Empty(result.KeptChannels[1].Intersect(deadChannels[1]));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = torch.randint(0, 97, [2, 12], dtype: ScalarType.Int64);
        var difference = (model.Forward(ids).Logits - pruned.Forward(ids).Logits).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"logits differ by {difference}");

        // Pruning again counts heads against the original indices.
        using var again = StructuredPruner.Prune(pruned, new StructuredPruningOptions { HeadRatio = 0.5, MlpChannelRatio = 0 }).Model;
        Assert.All(Enumerable.Range(0, 2), l => Assert.Equal(3, again.Config.RemovedHeads(l).Count));
        Assert.Empty(deadHeads[0].Except(again.Config.RemovedHeads(0)));
        Assert.Equal(1, again.Blocks[0].Attention.HeadCount);
    }

    [Fact]
    public async Task Gradient_times_weight_pruning_of_a_trained_model_recovers_with_a_short_fine_tune()
    {
        using var teacher = DistillationTestModels.Teacher(Path.Combine(_root, "teacher"));
        var validation = SyntheticCorpus.CorpusA(32, 32, seed: 99);
        var reports = new List<PruningProgress>();
        var options = new StructuredPruningOptions { HeadRatio = 0.5, MlpChannelRatio = 0.5, Importance = PruningImportance.GradientTimesWeight, CalibrationBatchSize = 8 };
        var result = StructuredPruner.Prune(teacher, options, SyntheticCorpus.CorpusA(32, 32, seed: 6), new CallbackPruningProgress(reports.Add));
        using var pruned = result.Model;
        Assert.Equal(4, reports.Count(r => r.Stage == "calibrate"));
        Assert.True(teacher.parameters().All(p => !p.requires_grad || p.grad is null || p.grad.abs().max().item<float>() == 0), "calibration left gradients behind");

        #region pruning-recovery
        var recovery = new DistillationModel(new FullFineTuningModel(pruned), teacher, new DistillationOptions { Temperature = 2, Alpha = 0.5 });
        using var trainer = new CausalLmTrainer(recovery, new TrainerOptions { OutputDirectory = Path.Combine(_root, "recovery"), MaxSteps = 40, BatchSize = 16, LearningRate = 3e-3, Seed = 2 });
        var prunedLoss = trainer.Evaluate(validation);
        var recovered = await trainer.TrainAsync(SyntheticCorpus.CorpusA(128, 32, seed: 8), validation);
        #endregion

        using var teacherTrainer = new CausalLmTrainer(new FullFineTuningModel(teacher), new TrainerOptions { OutputDirectory = Path.Combine(_root, "eval") });
        var teacherLoss = teacherTrainer.Evaluate(validation);
        output.WriteLine($"validation loss: unpruned {teacherLoss:F4}, pruned {prunedLoss:F4}, after recovery {recovered.EvalLoss:F4}; parameters {result.ParametersBefore} -> {result.ParametersAfter}");
        Assert.True(recovered.EvalLoss < prunedLoss - 0.05, $"recovery: {prunedLoss:F4} -> {recovered.EvalLoss:F4}");
        using var saved = Gpt2Checkpoint.Load(recovered.OutputDirectory);
        Assert.Equal(pruned.Config.InnerSize, saved.Config.InnerSize);
        Assert.Equal(2, saved.Blocks[1].Attention.HeadCount);
    }

    [Fact]
    public void Bad_pruned_heads_in_a_configuration_give_a_typed_error()
    {
        var config = OnnxTestModels.Config with { PrunedHeads = new Dictionary<string, IReadOnlyList<int>> { ["0"] = [0, 1, 2, 3], ["7"] = [1] } };
        var error = Assert.Throws<NotSupportedException>(config.Validate);
        Assert.Contains("pruned_heads of layer 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("pruned_heads key '7'", error.Message, StringComparison.Ordinal);
    }
}
