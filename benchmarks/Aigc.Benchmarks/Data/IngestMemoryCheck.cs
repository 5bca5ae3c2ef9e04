using System.Diagnostics;
using Aigc.Data;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// Runs ingest + clean + exact dedup + store over a generated JSONL of the given size and prints the peak resident
/// set (VmHWM) of the process, to check that memory stays bounded (goal: a 2 GB JSONL under 300 MB resident).
/// </summary>
public static class IngestMemoryCheck
{
    public static async Task<int> RunAsync(int megabytes)
    {
        var directory = Directory.CreateTempSubdirectory("aigc-ingest-memory-").FullName;
        try
        {
            var input = Path.Combine(directory, "input.jsonl");
            IngestPipelineBenchmarks.GenerateCorpus(input, megabytes * 1_000_000L);
            var size = new FileInfo(input).Length;
            var baseline = PeakResidentBytes();
            var clock = Stopwatch.StartNew();
            var result = await new DataPipeline("ingest", new JsonlSource(input, RecordSchema.Alpaca()))
                .Add(new NormalizeTextStep(new NormalizeTextOptions { StripHtml = true }))
                .Add(new ExactDedupStep())
                .RunAsync(new FileDatasetStore(Path.Combine(directory, "store")), force: true);
            clock.Stop();
            var peak = PeakResidentBytes();
            Console.WriteLine($"input {size / 1e6:F0} MB, {result.Manifest.Counts.In} records, kept {result.Manifest.Counts.Kept}, deduplicated {result.Manifest.Counts.Deduplicated}");
            Console.WriteLine($"time {clock.Elapsed.TotalSeconds:F1} s ({size / 1e6 / clock.Elapsed.TotalSeconds:F1} MB/s); peak resident {peak / 1e6:F0} MB (after generating the input: {baseline / 1e6:F0} MB)");
            return peak < 300_000_000 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Environment.WorkingSet;
    }
}
