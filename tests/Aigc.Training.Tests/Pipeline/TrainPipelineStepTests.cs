using Aigc.Inference;
using Aigc.Training.Tests.Trainer;
using TorchSharp;

namespace Aigc.Training.Tests.Pipeline;

[Collection(TorchSerialCollection.Name)]
public sealed class TrainPipelineStepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-pipeline-train-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static TrainerOptions Options(int steps) => new() { MaxSteps = steps, BatchSize = 4, LearningRate = 1e-2, SaveSteps = 2, Seed = 3 };

    private static Task<TrainingJob> Pretrain(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        torch.manual_seed(1);
        return Task.FromResult(new TrainingJob(new FullFineTuningModel(new Gpt2LanguageModel(SyntheticCorpus.Config)), SyntheticCorpus.CorpusA(24, 16, seed: 2)));
    }

    private static Task<TrainingJob> Adapt(ModelPipelineContext context, CancellationToken cancellationToken)
    {
        var baseDirectory = context.GetOutput("pretrain").GetValue(TrainPipelineStep.ModelKey);
        var lora = LoraModel.Create(Gpt2Checkpoint.Load(baseDirectory), new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn"] });
        return Task.FromResult(new TrainingJob(lora, SyntheticCorpus.CorpusB(24, 16, seed: 4)) { BaseModelDirectory = baseDirectory });
    }

    [Fact]
    public async Task A_training_step_stopped_half_way_resumes_from_its_checkpoint_on_the_next_run()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });
        ModelPipeline Build(IProgress<TrainingProgress>? report) => new ModelPipeline("resume", _root)
            .Add(new TrainPipelineStep("pretrain", [], Options(6), Pretrain, new Dictionary<string, string> { ["corpus"] = "A" }, report));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Build(progress).RunAsync(cancellationToken: cancellation.Token));
        Assert.False(File.Exists(Path.Combine(_root, "steps", "pretrain.json")));

        var resumed = await Build(null).RunAsync();
        var output = resumed["pretrain"];

        Assert.False(resumed.Get("pretrain").Reused);
        Assert.Equal(3, output.GetMetric("resumed_from_step"));
        Assert.Equal(6, output.GetMetric("steps"));
        Assert.Equal([1, 2, 3, 4, 5, 6], TrainPipelineStep.ReadLossHistory(output).Select(h => h.Step));
        Assert.True((await Build(null).RunAsync()).Get("pretrain").Reused);
    }

    [Fact]
    public async Task Pretrain_then_LoRA_exports_the_merged_model_and_registers_it_with_lineage()
    {
        var store = new Aigc.Data.FileDatasetStore(Path.Combine(_root, "datasets"));
        await using var registry = new SqliteModelRegistry(Path.Combine(_root, "registry.db"), Path.Combine(_root, "artifacts"));
        var records = Enumerable.Range(0, 4).Select(i => DataRecord.CreateText($"r{i}", $"text {i}")).ToList();
        var pipeline = new ModelPipeline("loop", Path.Combine(_root, "pipeline"))
            .Add(new DatasetPipelineStep("data", new Aigc.Data.DataPipeline("texts", Aigc.Data.DataSources.InMemory(RecordKind.Text, records)), store))
            .Add(new TrainPipelineStep("pretrain", ["data"], Options(2), Pretrain))
            .Add(new TrainPipelineStep("lora", ["pretrain"], Options(2), Adapt))
            .Add(new EvaluatePipelineStep("evaluate", ["lora"], (context, _) => Task.FromResult(new ModelPipelineStepOutput { Metrics = new Dictionary<string, double> { ["tuned.loss"] = context.GetOutput("lora").GetMetric("train_loss"), ["base.loss"] = 9 } })))
            .Add(new ExportOnnxPipelineStep("export", "lora"))
            .Add(new QuantizeOnnxPipelineStep("quantize", "export", new OnnxQuantizationOptions { MinimumWeightElements = 16 }))
            .Add(new RegisterModelPipelineStep("register", registry, "numbers", "export") { DatasetStep = "data", MetricsStep = "evaluate", MetricsPrefix = "tuned." });

        var result = await pipeline.RunAsync();

        var (name, version) = RegisterModelPipelineStep.GetVersion(result["register"]);
        var registered = await registry.GetVersionAsync(name, version);
        Assert.NotNull(registered);
        Assert.Equal(DatasetPipelineStep.GetDataset(result["data"]), Assert.Single(registered.Lineage.Datasets));
        Assert.Equal(["loss"], registered.Lineage.Metrics.Keys);
        Assert.Equal(result["lora"].GetMetric("train_loss"), registered.Lineage.Metrics["loss"], 9);
        Assert.Equal(result.Get("register").Fingerprint, registered.Tags[RegisterModelPipelineStep.FingerprintTag]);
        Assert.Equal("model.onnx", Assert.Single(registered.Artifacts).Path);

        // The merged export is a decoder in the Optimum convention that ONNX Runtime loads.
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(result["export"].GetValue(ExportOnnxPipelineStep.ModelPathKey));
        Assert.Contains("past_key_values.0.key", session.InputMetadata.Keys);

        // The quantization step's int8 model keeps the decoder's interface and records what it converted.
        var quantized = result["quantize"].GetValue(ExportOnnxPipelineStep.ModelPathKey);
        Assert.True(result["quantize"].GetMetric("compression_ratio") > 1.5);
        Assert.True(new FileInfo(quantized).Length < new FileInfo(result["export"].GetValue(ExportOnnxPipelineStep.ModelPathKey)).Length);
        using var int8 = new Microsoft.ML.OnnxRuntime.InferenceSession(quantized);
        Assert.Equal(session.InputMetadata.Keys.Order(), int8.InputMetadata.Keys.Order());
        Assert.Contains(OnnxMetadataKeys.Quantization, int8.ModelMetadata.CustomMetadataMap.Keys);
    }
}
