using System.Globalization;
using System.Text;
using Aigc.Monitoring;
using Aigc.Training;
using ScottPlot;

namespace Aigc.Quickstart.Stages;

/// <summary>Stage: a Markdown report of the run with two PNG charts (ScottPlot): the loss curves and the quality bars.</summary>
internal static class ReportStage
{
    public static string Write(string workDirectory, ModelPipelineResult pipeline, ServeOutcome served, FeedbackExportResult feedback, TimeSpan elapsed)
    {
        var directory = Path.Combine(workDirectory, "report");
        Directory.CreateDirectory(directory);
        var pretrain = TrainPipelineStep.ReadLossHistory(pipeline[QuickstartPipeline.Pretrain]);
        var lora = TrainPipelineStep.ReadLossHistory(pipeline[QuickstartPipeline.Adapt]);
        var evaluation = pipeline[QuickstartPipeline.Evaluate].Metrics;
        LossChart(Path.Combine(directory, "loss.png"), pretrain, lora);
        QualityChart(Path.Combine(directory, "quality.png"), evaluation);

        var dataset = DatasetPipelineStep.GetDataset(pipeline[QuickstartPipeline.Catalog]);
        var data = pipeline[QuickstartPipeline.Catalog].Metrics;
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# Aigc Quickstart report");
        Line($"");
        Line($"Run of {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalSeconds:F0} s; {pipeline.Steps.Count(s => s.Reused)} of {pipeline.Steps.Count} pipeline steps reused from the cache.");
        Line($"");
        Line($"## Data");
        Line($"");
        Line($"Dataset `{dataset.Name}` v{dataset.Version} (`{dataset.Fingerprint[..12]}`): in {data["in"]} = kept {data["kept"]} + rejected {data["rejected"]} + deduplicated {data["deduplicated"]}.");
        Line($"");
        Line($"## Training");
        Line($"");
        Line($"| run | steps | final train loss |");
        Line($"| --- | ---: | ---: |");
        Line($"| pretrain base | {pretrain.Count} | {pretrain[^1].Loss:F3} |");
        Line($"| LoRA (Aurora) | {lora.Count} | {lora[^1].Loss:F3} |");
        Line($"");
        Line($"![loss](loss.png)");
        Line($"");
        Line($"## Quality on held-out Aurora products");
        Line($"");
        Line($"| model | BLEU | chrF | Aurora style | perplexity |");
        Line($"| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, prefix) in new[] { ("base", "base."), ("fine-tuned", "tuned.") })
        {
            Line($"| {name} | {evaluation[prefix + QualityScore.Bleu]:F1} | {evaluation[prefix + QualityScore.ChrF]:F1} | {evaluation[prefix + QualityScore.StyleShare]:P0} | {evaluation[prefix + QualityScore.Perplexity]:F1} |");
        }

        Line($"");
        Line($"![quality](quality.png)");
        Line($"");
        Line($"## Registry and quality gate");
        Line($"");
        Line($"- base: {pipeline[QuickstartPipeline.PromoteBase].GetValue(PromotePipelineStep.SummaryKey)}");
        Line($"- fine-tuned: {pipeline[QuickstartPipeline.Promote].GetValue(PromotePipelineStep.SummaryKey)}");
        Line($"");
        Line($"## Serving");
        Line($"");
        Line($"{served.Responses.Count} concurrent requests to {served.Version} through the continuous-batching engine: {served.Tokens} tokens in {served.Elapsed.TotalSeconds:F2} s ({served.TokensPerSecond:F0} tokens/s).");
        Line($"");
        Line($"## Feedback → next dataset");
        Line($"");
        Line($"- {feedback.FeedbackRead} feedback records read for {served.Version}");
        Line($"- instructions: {(feedback.Instructions is { } i ? $"`{i.Name}` v{i.Version}, {i.Counts.Kept} records" : "none")}");
        Line($"- preferences: {(feedback.Preferences is { } p ? $"`{p.Name}` v{p.Version}, {p.Counts.Kept} records" : "none")}");
        var path = Path.Combine(directory, "quickstart.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static void LossChart(string path, IReadOnlyList<(int Step, double Loss)> pretrain, IReadOnlyList<(int Step, double Loss)> lora)
    {
        var plot = new Plot();
        var first = plot.Add.ScatterLine(pretrain.Select(p => (double)p.Step).ToArray(), pretrain.Select(p => p.Loss).ToArray());
        first.LegendText = "pretrain base";
        var second = plot.Add.ScatterLine(lora.Select(p => (double)(pretrain.Count + p.Step)).ToArray(), lora.Select(p => p.Loss).ToArray());
        second.LegendText = "LoRA (Aurora), after the base";
        plot.Title("Training loss");
        plot.XLabel("optimizer step");
        plot.YLabel("cross-entropy per token");
        plot.ShowLegend();
        plot.SavePng(path, 900, 450);
    }

    private static void QualityChart(string path, IReadOnlyDictionary<string, double> metrics)
    {
        var plot = new Plot();
        string[] labels = ["BLEU", "chrF", "Aurora style %"];
        string[] keys = [QualityScore.Bleu, QualityScore.ChrF, QualityScore.StyleShare];
        var colors = new[] { Colors.Gray, Colors.DarkOrange };
        var bars = new List<Bar>();
        for (var k = 0; k < keys.Length; k++)
        {
            for (var m = 0; m < 2; m++)
            {
                var value = metrics[(m == 0 ? "base." : "tuned.") + keys[k]] * (keys[k] == QualityScore.StyleShare ? 100 : 1);
                bars.Add(new Bar { Position = k * 3 + m, Value = value, FillColor = colors[m] });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([0.5, 3.5, 6.5], labels);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "base", FillColor = colors[0] });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "fine-tuned", FillColor = colors[1] });
        plot.ShowLegend();
        plot.Axes.Margins(bottom: 0);
        plot.Title("Held-out quality: base vs fine-tuned");
        plot.SavePng(path, 900, 450);
    }
}
