using Aigc;
using Aigc.Training;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// The Quickstart's loop as a declarative <see cref="ModelPipeline"/>: curate → pretrain base → export → register →
/// gate, then LoRA → evaluate → export → register → gate against the champion. Every step is cached by fingerprint
/// under <c>.aigc/pipelines/quickstart</c>: a second run reuses them all; a run stopped half way resumes.
/// </summary>
internal static class QuickstartPipeline
{
    public const string Name = "quickstart";
    public const string ModelName = "aurora-writer";
    public const string Catalog = "catalog";
    public const string Pretrain = "pretrain";
    public const string ExportBase = "export-base";
    public const string RegisterBase = "register-base";
    public const string PromoteBase = "promote-base";
    public const string Adapt = "lora";
    public const string Evaluate = "evaluate";
    public const string Export = "export";
    public const string Register = "register";
    public const string Promote = "promote";

    public static ModelPipeline Build(IDatasetStore store, IModelRegistry registry, string workDirectory, QuickstartSettings settings, int seed)
    {
        var gate = new GateEvaluator(registry, store, settings);
        var quality = new QualityGateOptions { Metric = QualityScore.StyleShare, Margin = settings.GateMargin };
        IProgress<TrainingProgress>? Bar(string label) => settings.ProgressBars ? new ProgressBar(label) : null;
        var tags = new Dictionary<string, string> { ["sample"] = "quickstart" };

        #region pipeline
        var pipeline = new ModelPipeline(Name, Path.Combine(workDirectory, "pipelines", Name))
            .Add(new DatasetPipelineStep(Catalog, CurateStage.CreatePipeline(workDirectory, settings, seed), store))
            .Add(new TrainPipelineStep(Pretrain, [Catalog], TrainStage.PretrainOptions(settings, seed),
                (context, ct) => TrainStage.PrepareBaseAsync(store, context, seed, ct), TrainStage.Recipe("descriptions"), Bar("pretrain base")))
            .Add(new ExportOnnxPipelineStep(ExportBase, Pretrain, new OnnxExportOptions { SourceModelVersion = "quickstart-base" }))
            .Add(new RegisterModelPipelineStep(RegisterBase, registry, ModelName, ExportBase)
            {
                DatasetStep = Catalog, Description = "Tiny GPT-2 base pretrained on the catalog", Tags = new Dictionary<string, string>(tags) { ["kind"] = "base" },
            })
            .Add(new PromotePipelineStep(PromoteBase, registry, RegisterBase, quality, gate.EvaluateAsync))
            .Add(new TrainPipelineStep(Adapt, [Catalog, Pretrain], TrainStage.LoraOptions(settings, seed),
                (context, ct) => TrainStage.PrepareAdapterAsync(store, context, ct), TrainStage.Recipe("aurora instructions"), Bar("LoRA (Aurora)")))
            .Add(new EvaluatePipelineStep(Evaluate, [Catalog, Pretrain, Adapt],
                (context, ct) => EvaluateStage.RunAsync(store, context, settings, ct), new Dictionary<string, string> { ["held_out"] = $"{settings.HeldOut} aurora test, greedy {EvaluateStage.MaxNewTokens}" }))
            .Add(new ExportOnnxPipelineStep(Export, Adapt, new OnnxExportOptions { SourceModelVersion = "quickstart-aurora" }))
            .Add(new RegisterModelPipelineStep(Register, registry, ModelName, Export)
            {
                DatasetStep = Catalog, MetricsStep = Evaluate, MetricsPrefix = "tuned.", BaseModelStep = RegisterBase,
                Description = "Base + Aurora LoRA (r=8, all-linear), merged", Tags = new Dictionary<string, string>(tags) { ["kind"] = "lora-merged" },
            })
            .Add(new PromotePipelineStep(Promote, registry, Register, quality, gate.EvaluateAsync));
        #endregion
        return pipeline;
    }
}
