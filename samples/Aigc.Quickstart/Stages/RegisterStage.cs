using System.Globalization;
using Aigc;
using Aigc.Training;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stages 4 and 5: export both models to ONNX (Optimum convention; the fine-tuned one with the adapter merged),
/// register them with lineage, and promote with a quality gate: the candidate takes <c>@champion</c> only when it
/// beats the current champion's Aurora-style share by the margin; the decision and its figures are recorded.
/// </summary>
internal static class RegisterStage
{
    public const string ModelName = "aurora-writer";
    public const double Margin = 0.05;

    public static async Task RunAsync(IModelRegistry registry, DatasetManifest dataset, string baseDirectory, LoraModel tuned, EvaluationFigures baseFigures, EvaluationFigures tunedFigures, string workDirectory, CancellationToken cancellationToken)
    {
        var onnx = Path.Combine(workDirectory, "onnx");
        Directory.CreateDirectory(onnx);
        var baseExport = OnnxExporter.ExportCheckpoint(baseDirectory, Path.Combine(onnx, "base.onnx"), new OnnxExportOptions { SourceModelVersion = "quickstart-base" });
        var tunedExport = OnnxExporter.ExportMerged(tuned, Path.Combine(onnx, "aurora.onnx"), new OnnxExportOptions { SourceModelVersion = "quickstart-aurora" });
        Console.WriteLine($"  exported        {Path.GetFileName(baseExport.ModelPath)}, {Path.GetFileName(tunedExport.ModelPath)} (opset 17, KV cache) → {onnx}");

        var lineage = new ModelLineage { Datasets = [dataset.ToReference()], TrainingRunId = "quickstart" };
        var champion = await TryResolveAsync(registry, ModelUri.ForAlias(ModelName, "champion"), cancellationToken);
        if (champion is null)
        {
            var first = await registry.RegisterVersionAsync(ModelName, baseExport.ModelPath, lineage with { Metrics = Metrics(baseFigures) }, Tags("base"), "Tiny GPT-2 base pretrained on the catalog", cancellationToken);
            await registry.SetAliasAsync(ModelName, "champion", first.Version, cancellationToken);
            champion = first;
            Console.WriteLine($"  registered      {first.Uri} (base) as @champion");
        }

        #region register
        var candidate = await registry.RegisterVersionAsync(
            ModelName,
            tunedExport.ModelPath,
            lineage with { BaseModel = champion.Uri, Metrics = Metrics(tunedFigures) },
            Tags("lora-merged"),
            "Base + Aurora LoRA (r=8, all-linear), merged",
            cancellationToken);
        await registry.SetAliasAsync(ModelName, "challenger", candidate.Version, cancellationToken);
        var championStyle = champion.Lineage.Metrics.GetValueOrDefault("aurora_style_share", baseFigures.StyleShare);
        var wins = tunedFigures.StyleShare >= championStyle + Margin;
        var decision = string.Create(CultureInfo.InvariantCulture, $"candidate style {tunedFigures.StyleShare:F3} vs champion {championStyle:F3}, margin {Margin}: {(wins ? "promoted" : "kept champion")}");
        await registry.UpdateVersionAsync(ModelName, candidate.Version, new ModelMetadataUpdate { SetTags = new Dictionary<string, string> { ["quality_gate"] = decision } }, cancellationToken);
        if (wins)
        {
            await registry.SetAliasAsync(ModelName, "champion", candidate.Version, cancellationToken);
        }
        #endregion

        Console.WriteLine($"  registered      {candidate.Uri} (fine-tuned, lineage: {dataset.Name} v{dataset.Version}, base {champion.Uri}) as @challenger");
        Console.WriteLine($"  quality gate    {decision}");
    }

    private static Dictionary<string, double> Metrics(EvaluationFigures figures) => new()
    {
        ["bleu"] = figures.Bleu,
        ["chrf"] = figures.ChrF,
        ["aurora_style_share"] = figures.StyleShare,
    };

    private static Dictionary<string, string> Tags(string kind) => new() { ["kind"] = kind, ["sample"] = "quickstart" };

    private static async Task<ModelVersion?> TryResolveAsync(IModelRegistry registry, ModelUri uri, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.ResolveAsync(uri, cancellationToken);
        }
        catch (ModelNotFoundException)
        {
            return null;
        }
    }
}
