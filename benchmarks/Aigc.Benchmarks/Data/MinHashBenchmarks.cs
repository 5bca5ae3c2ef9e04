using System.Runtime.CompilerServices;
using Aigc.Data;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// MinHash signatures (word 5-grams, 14 bands × 8 rows) and LSH insertion for one-kilobyte documents, one
/// operation per document, so Op/s reads as documents per second (goal ≥ 5,000 on 2 cores). The step benchmark
/// adds the spill file (JSONL write and read back) and the second pass.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MinHashBenchmarks
{
    public const int Documents = 2048;

    private string[] _texts = [];
    private DataRecord[] _records = [];
    private MinHasher _hasher = null!;

    [Params(0.0, 0.7)]
    public double VerificationThreshold { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _texts = new string[Documents];
        for (var i = 0; i < Documents; i++)
        {
            // One document in ten is a lightly edited copy of an earlier one, so buckets see real collisions.
            _texts[i] = i % 10 == 9
                ? _texts[random.Next(i)][..900] + ExactDedupBenchmarks.RandomText(random, 124)
                : ExactDedupBenchmarks.RandomText(random, 1024);
        }

        _records = _texts.Select((text, i) => DataRecord.CreateText("d" + i, text)).ToArray();
        _hasher = new MinHasher(14 * 8, 5, seed: 1);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Documents)]
    public int SignaturesAndLshAllCores() => Index(Environment.ProcessorCount);

    [Benchmark(OperationsPerInvoke = Documents)]
    public int SignaturesAndLshOneCore() => Index(1);

    [Benchmark(OperationsPerInvoke = Documents)]
    public async Task<int> StepWithSpillAllCores()
    {
        var context = new DataStepContext("dedup.minhash", tempDirectory: Path.Combine(Path.GetTempPath(), "aigc-bench"));
        var step = new MinHashDedupStep(new MinHashDedupOptions { VerificationThreshold = VerificationThreshold });
        var kept = 0;
        await foreach (var _ in step.ExecuteAsync(FromArray(_records), context))
        {
            kept++;
        }

        return kept;
    }

    private int Index(int degreeOfParallelism)
    {
        var index = new MinHashLshIndex(14, 8, VerificationThreshold);
        var batch = new SignatureBatch(_hasher, 512, degreeOfParallelism);
        foreach (var text in _texts)
        {
            batch.Texts[batch.Count++] = text;
            if (batch.Count == 512)
            {
                batch.ComputeAndInsert(index, CancellationToken.None);
            }
        }

        batch.ComputeAndInsert(index, CancellationToken.None);
        index.Flatten();
        var clustered = 0;
        for (var i = 0; i < index.Count; i++)
        {
            clustered += index.Find(i) != i ? 1 : 0;
        }

        return clustered;
    }

#pragma warning disable CS1998 // The async iterator only adapts an array.
    private static async IAsyncEnumerable<DataRecord> FromArray(DataRecord[] records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            yield return record;
        }
    }
#pragma warning restore CS1998

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
