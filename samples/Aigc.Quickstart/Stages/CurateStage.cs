using System.Text.RegularExpressions;
using Aigc;
using Aigc.Data;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage 1 of the loop: generate the raw export, then clean, filter, scrub PII, deduplicate (exact and MinHash),
/// label the brand style and split it into a versioned dataset. An unchanged pipeline over an unchanged file
/// has an unchanged fingerprint, so the stored version is reused.
/// </summary>
internal static class CurateStage
{
    public const string DatasetName = "catalog";

    public static DataPipeline CreatePipeline(string workDirectory, QuickstartSettings settings, int seed)
    {
        var rawPath = Path.Combine(workDirectory, "raw", "catalog.jsonl");
        var lines = SyntheticCatalog.Write(rawPath, settings.Products, seed);
        Console.WriteLine($"  raw export      {lines} records → {rawPath}");

        #region pipeline
        var pipeline = new DataPipeline(DatasetName, DataSources.Jsonl(rawPath, RecordSchema.Alpaca()))
            .Add(new NormalizeTextStep(new NormalizeTextOptions { StripHtml = true }))
            .Add(new EmptyFieldStep())
            .Add(new LengthFilterStep(new LengthFilterOptions { Fields = { FieldNames.Output }, Unit = LengthUnit.Words, Minimum = 5, Maximum = 200 }))
            .Add(new PiiScrubStep())
            .Add(new ExactDedupStep())
            .Add(new MinHashDedupStep())
            .Add(new LabelStep("style", [new RegexLabeler("brand-in-instruction", [new("Aurora", SyntheticCatalog.Aurora), new("Nordic", SyntheticCatalog.Nordic)], FieldNames.Instruction, RegexOptions.IgnoreCase)]))
            .SplitWith(new HashSplitter(new HashSplitOptions()));
        pipeline.Seed = seed;
        #endregion
        return pipeline;
    }
}
