using System.Text.RegularExpressions;
using Aigc;
using Aigc.Data;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// Stage 1 of the loop: generate the raw export, then clean, filter, scrub PII, deduplicate (exact and MinHash),
/// label the brand style and split it into a versioned dataset. An unchanged pipeline over an unchanged file
/// reuses the stored version.
/// </summary>
internal static class CurateStage
{
    public const string DatasetName = "catalog";

    public static async Task<DatasetManifest> RunAsync(IDatasetStore store, string workDirectory, int seed, CancellationToken cancellationToken)
    {
        var rawPath = Path.Combine(workDirectory, "raw", "catalog.jsonl");
        var lines = SyntheticCatalog.Write(rawPath, products: 600, seed);
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

        var result = await pipeline.RunAsync(store, cancellationToken: cancellationToken);
        #endregion
        var m = result.Manifest;
        Console.WriteLine($"  dataset         {m.Name} v{m.Version} ({(result.Reused ? "reused from the store: same fingerprint" : "built")}) {m.Fingerprint[..12]}");
        Console.WriteLine($"  counts          in {m.Counts.In} = kept {m.Counts.Kept} + rejected {m.Counts.Rejected} + deduplicated {m.Counts.Deduplicated}");
        Console.WriteLine($"  splits          {string.Join(", ", m.Splits.Select(s => $"{s.Key} {s.Value}"))}");
        Console.WriteLine($"  styles          {string.Join(", ", m.Labels.GetValueOrDefault("style", new Dictionary<string, long>()).Select(s => $"{s.Key} {s.Value}"))}");
        var pii = m.Counters.Where(c => c.Key.StartsWith("pii.", StringComparison.Ordinal)).Select(c => $"{c.Key} {c.Value}");
        Console.WriteLine($"  pii scrubbed    {string.Join(", ", pii)}");
        return m;
    }
}
