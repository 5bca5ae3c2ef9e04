using System.Text;
using Aigc.Data;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// Ingest + clean + exact dedup end to end, as a user runs it: a generated JSONL of Alpaca records (about 1 KB each,
/// one in eight a re-spaced, re-cased copy of an earlier one, some with HTML and control characters) read by
/// <see cref="JsonlSource"/>, <see cref="NormalizeTextStep"/> (NFC, controls, whitespace, HTML), <see cref="ExactDedupStep"/>,
/// and written as a new version to a <see cref="FileDatasetStore"/> (manifest, rejects). The MB/s column is the
/// input file size over the mean time; the process runs on every core it gets, the goal is ≥ 50 MB/s per core.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class IngestPipelineBenchmarks
{
    private string _directory = string.Empty;
    private string _input = string.Empty;

    /// <summary>Gets or sets the input size in megabytes.</summary>
    [Params(200)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("aigc-ingest-bench-").FullName;
        _input = Path.Combine(_directory, "input.jsonl");
        GenerateCorpus(_input, Megabytes * 1_000_000L);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true)]
    public async Task<long> ReadOnly()
    {
        long count = 0;
        await foreach (var _ in new JsonlSource(_input, RecordSchema.Alpaca()).ReadAsync(new DataStepContext("read.jsonl")))
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public async Task<long> ReadCleanDedupAndStore()
    {
        var store = new FileDatasetStore(Path.Combine(_directory, "store"));
        var result = await new DataPipeline("ingest", new JsonlSource(_input, RecordSchema.Alpaca()))
            .Add(new NormalizeTextStep(new NormalizeTextOptions { StripHtml = true }))
            .Add(new ExactDedupStep())
            .RunAsync(store, force: true);
        return result.Manifest.Counts.Kept;
    }

    /// <summary>Writes about <paramref name="bytes"/> of Alpaca JSONL with duplicates, HTML and control characters.</summary>
    /// <param name="path">The file.</param>
    /// <param name="bytes">The approximate size.</param>
    public static void GenerateCorpus(string path, long bytes)
    {
        var random = new Random(7);
        string[] words = ["soft", "cotton", "shirt", "durable", "travel", "bag", "water", "resistant", "leather", "wallet", "lightweight", "running", "shoe", "classic", "fit", "premium", "steel", "bottle", "keeps", "drinks", "cold", "for", "hours", "the", "and", "with", "a", "of", "to"];
        var recent = new List<(string Instruction, string Input, string Output)>();
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        var i = 0;
        var text = new StringBuilder(1200);
        while (written < bytes)
        {
            string instruction = "Describe product " + i, input = "category " + (i % 50), output;
            if (i % 8 == 7 && recent.Count > 0)
            {
                // A re-export of an earlier record: same fields up to case and spacing.
                var copy = recent[random.Next(recent.Count)];
                instruction = copy.Instruction.ToUpperInvariant();
                input = "  " + copy.Input;
                output = "  " + copy.Output.ToUpperInvariant().Replace(" ", "   ", StringComparison.Ordinal);
            }
            else
            {
                text.Clear();
                while (text.Length < 900)
                {
                    text.Append(words[random.Next(words.Length)]).Append(' ');
                }

                if (i % 5 == 0)
                {
                    text.Append("<b>Now</b> on sale &amp; in stock\u0007");
                }

                output = text.ToString();
                if (recent.Count < 1000)
                {
                    recent.Add((instruction, input, output));
                }
                else
                {
                    recent[random.Next(recent.Count)] = (instruction, input, output);
                }
            }

            var line = DataRecordJson.Serialize(DataRecord.CreateInstruction("r" + i, instruction, input, output));
            writer.Write(line);
            writer.Write('\n');
            written += Encoding.UTF8.GetByteCount(line) + 1;
            i++;
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(ThroughputColumn.MegabytesPerSecond(c => (int)c.Parameters["Megabytes"] * 1e6, "input JSONL bytes / mean time"));
    }
}
