using System.Runtime.CompilerServices;
using System.Text;
using Aigc.Data;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// Exact deduplication throughput over one-kilobyte records (1,024 bytes of text each, one in eight a copy of an
/// earlier record with other case and spacing): key computation alone, the streaming step, and JSONL parsing plus
/// the step. Each operation is one record, so the MB/s column reads as text throughput on one core (goal ≥ 50 MB/s
/// for ingest + clean + exact dedup).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ExactDedupBenchmarks
{
    public const int Records = 4096;
    public const int TextBytes = 1024;

    private DataRecord[] _records = [];
    private byte[][] _jsonLines = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _records = new DataRecord[Records];
        for (var i = 0; i < Records; i++)
        {
            var text = i % 8 == 7
                ? Variant(_records[random.Next(i)].GetText())
                : RandomText(random, TextBytes);
            _records[i] = DataRecord.CreateText("r" + i, text);
        }

        _jsonLines = _records.Select(r => Encoding.UTF8.GetBytes(DataRecordJson.Serialize(r))).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int KeysOnly()
    {
        using var normalizer = new DedupTextNormalizer(DedupNormalization.Default);
        var seen = new HashSet<UInt128>(Records);
        foreach (var record in _records)
        {
            seen.Add(normalizer.Hash(record));
        }

        return seen.Count;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task<int> Step()
    {
        var context = new DataStepContext("dedup.exact");
        var kept = 0;
        await foreach (var _ in new ExactDedupStep().ExecuteAsync(FromArray(_records), context))
        {
            kept++;
        }

        return kept;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task<int> ParseJsonlThenStep()
    {
        var context = new DataStepContext("dedup.exact");
        var kept = 0;
        await foreach (var _ in new ExactDedupStep().ExecuteAsync(Parse(_jsonLines), context))
        {
            kept++;
        }

        return kept;
    }

    internal static string RandomText(Random random, int bytes)
    {
        var builder = new StringBuilder(bytes);
        while (builder.Length < bytes)
        {
            if (builder.Length > 0)
            {
                builder.Append(random.Next(12) == 0 ? ". " : " ");
            }

            var length = random.Next(2, 10);
            for (var k = 0; k < length; k++)
            {
                builder.Append((char)('a' + random.Next(26)));
            }
        }

        builder.Length = bytes;
        return builder.ToString();
    }

    private static string Variant(string text) => "  " + text.ToUpperInvariant().Replace(" ", "\t ", StringComparison.Ordinal)[..(TextBytes - 2)];

#pragma warning disable CS1998 // The async iterators only adapt arrays.
    private static async IAsyncEnumerable<DataRecord> FromArray(DataRecord[] records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            yield return record;
        }
    }

    private static async IAsyncEnumerable<DataRecord> Parse(byte[][] lines, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var line in lines)
        {
            yield return DataRecordJson.Parse(line, Aigc.RecordKind.Text);
        }
    }
#pragma warning restore CS1998

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(ThroughputColumn.MegabytesPerSecond(_ => TextBytes, "text bytes per operation (one record) / mean time"));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
