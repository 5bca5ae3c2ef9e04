using Aigc.Training;

namespace Aigc.Quickstart.Stages;

/// <summary>Prints the pipeline's steps as they start, complete or are reused from the cache, with each step's figures.</summary>
internal sealed class PipelinePrinter : IProgress<ModelPipelineProgress>
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        [QuickstartPipeline.Catalog] = "curate: synthetic e-commerce corpus -> clean, filter, PII, dedup, label, split, version (Aigc.Data)",
        [QuickstartPipeline.Pretrain] = "train: tiny GPT-2 base on the catalog (Aigc.Training)",
        [QuickstartPipeline.ExportBase] = "export: base -> ONNX, Optimum convention with KV cache",
        [QuickstartPipeline.RegisterBase] = "register: base in the model registry with lineage (SQLite)",
        [QuickstartPipeline.PromoteBase] = "quality gate: base vs @champion",
        [QuickstartPipeline.Adapt] = "train: LoRA to the Aurora brand style",
        [QuickstartPipeline.Evaluate] = "evaluate: base vs fine-tuned on held-out products (Aigc.Monitoring quality metrics)",
        [QuickstartPipeline.Export] = "export: fine-tuned (adapter merged) -> ONNX",
        [QuickstartPipeline.Register] = "register: fine-tuned with lineage and its metrics",
        [QuickstartPipeline.Promote] = "quality gate: fine-tuned vs @champion on held-out products, served by the GenerationEngine",
    };

    private int _number;

    public int Reused { get; private set; }

    public int Ran { get; private set; }

    public void Report(ModelPipelineProgress value)
    {
        if (value.Status is ModelPipelineStepStatus.Started or ModelPipelineStepStatus.Reused)
        {
            Console.WriteLine();
            Console.WriteLine($"{++_number,2}. [{value.StepId}] {Titles.GetValueOrDefault(value.StepId, value.StepId)}");
        }

        if (value.Status == ModelPipelineStepStatus.Reused)
        {
            Reused++;
            Console.WriteLine($"  cached          step reused, fingerprint {value.Fingerprint[..12]} unchanged (nothing ran)");
        }

        if (value.Status == ModelPipelineStepStatus.Completed)
        {
            Ran++;
            Console.WriteLine($"  done            in {value.Elapsed.TotalSeconds:F1} s, fingerprint {value.Fingerprint[..12]}");
        }

        if (value.Output is { } output)
        {
            Summarize(value.StepId, output, value.Status == ModelPipelineStepStatus.Reused);
        }
    }

    private static void Summarize(string step, ModelPipelineStepOutput output, bool cached)
    {
        var m = output.Metrics;
        switch (step)
        {
            case QuickstartPipeline.Catalog:
                var dataset = DatasetPipelineStep.GetDataset(output);
                var stored = cached || output.Values.GetValueOrDefault("dataset.reused") == "true" ? "reused from the store: same fingerprint" : "built";
                Console.WriteLine($"  dataset         {dataset.Name} v{dataset.Version} ({stored}) {dataset.Fingerprint[..12]}");
                Console.WriteLine($"  counts          in {m["in"]} = kept {m["kept"]} + rejected {m["rejected"]} + deduplicated {m["deduplicated"]}");
                Console.WriteLine($"  splits          {Join(m, "split.")}");
                Console.WriteLine($"  styles          {Join(m, "label.style.")}");
                break;
            case QuickstartPipeline.Pretrain or QuickstartPipeline.Adapt:
                var resumed = m["resumed_from_step"] > 0 ? $", resumed from step {m["resumed_from_step"]}" : string.Empty;
                var eval = m.TryGetValue("eval_loss", out var e) ? $", validation loss {e:F3} (perplexity {Math.Exp(e):F1})" : string.Empty;
                Console.WriteLine($"  trained         {m["steps"]} steps, train loss {m["train_loss"]:F3}{eval}{resumed}");
                Console.WriteLine($"  saved           {output.GetValue(TrainPipelineStep.ModelKey)}");
                break;
            case QuickstartPipeline.Evaluate:
                Console.WriteLine($"  held-out        {m["held_out"]} Aurora products (test split), greedy decoding, {EvaluateStage.MaxNewTokens} new tokens at most");
                Console.WriteLine($"  base            BLEU {m["base.bleu"],5:F1}  chrF {m["base.chrf"],5:F1}  Aurora style {m["base.aurora_style_share"],5:P0}  perplexity {m["base.perplexity"],6:F1}");
                Console.WriteLine($"  fine-tuned      BLEU {m["tuned.bleu"],5:F1}  chrF {m["tuned.chrf"],5:F1}  Aurora style {m["tuned.aurora_style_share"],5:P0}  perplexity {m["tuned.perplexity"],6:F1}");
                Console.WriteLine($"  product         {output.GetValue("example.prompt")}");
                Console.WriteLine($"  base says       {Trim(output.GetValue("example.base"))}");
                Console.WriteLine($"  fine-tuned says {Trim(output.GetValue("example.tuned"))}");
                break;
            case QuickstartPipeline.ExportBase or QuickstartPipeline.Export:
                Console.WriteLine($"  exported        {output.GetValue(ExportOnnxPipelineStep.ModelPathKey)} (opset 17, KV cache)");
                break;
            case QuickstartPipeline.RegisterBase or QuickstartPipeline.Register:
                Console.WriteLine($"  registered      {output.GetValue("model.uri")} digest {output.GetValue("model.digest")[..Math.Min(12, output.GetValue("model.digest").Length)]}{(m.Count > 0 ? $", metrics {string.Join(", ", m.Select(p => $"{p.Key} {p.Value:0.###}"))}" : string.Empty)}");
                break;
            case QuickstartPipeline.PromoteBase or QuickstartPipeline.Promote:
                Console.WriteLine($"  decision        {output.GetValue(PromotePipelineStep.DecisionKey)}: {output.GetValue(PromotePipelineStep.SummaryKey)}");
                break;
        }
    }

    private static string Join(IReadOnlyDictionary<string, double> metrics, string prefix) =>
        string.Join(", ", metrics.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => $"{p.Key[prefix.Length..]} {p.Value}"));

    internal static string Trim(string text) => text.Length <= 110 ? text : text[..110] + "…";
}
