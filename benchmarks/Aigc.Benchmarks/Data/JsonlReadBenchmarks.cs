using System.Text;
using Aigc.Data;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// Reading a JSON Lines file of Alpaca records through <see cref="JsonlSource"/>, against reading the same bytes raw.
/// Every line is exactly <see cref="LineBytes"/> bytes (1 KB), so an operation reads <c>RecordCount × 1024</c> bytes;
/// the <c>MB/s</c> column divides that by the mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class JsonlReadBenchmarks
{
    /// <summary>The length of every line, newline included.</summary>
    public const int LineBytes = 1024;

    private string _path = string.Empty;

    [Params(20_000)]
    public int RecordCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"aigc-bench-alpaca-{RecordCount}.jsonl");
        using var stream = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (var i = 0; i < RecordCount; i++)
        {
            stream.Write(CreateLine(i));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true, Description = "raw bytes + count lines")]
    public async Task<long> ReadRaw()
    {
        var buffer = new byte[1 << 18];
        long lines = 0;
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    [Benchmark(Description = "JsonlSource (Alpaca)")]
    public async Task<long> ReadRecords()
    {
        var source = new JsonlSource(_path, RecordSchema.Alpaca());
        var context = new DataStepContext(source.Id);
        long records = 0;
        await foreach (var record in source.ReadAsync(context))
        {
            records += record.Fields.Count > 0 ? 1 : 0;
        }

        return records + context.RejectedCount;
    }

    /// <summary>Builds one Alpaca line of exactly <see cref="LineBytes"/> bytes.</summary>
    private static byte[] CreateLine(int index)
    {
        var head = $"{{\"id\":\"r{index:D8}\",\"instruction\":\"Summarise the document below in one sentence.\",\"input\":\"";
        var tail = $"\",\"output\":\"Document {index:D8} is about data curation.\"}}\n";
        var fill = new StringBuilder(LineBytes);
        const string words = "Datasets are cleaned, filtered, deduplicated and versioned before training. ";
        var room = LineBytes - Encoding.UTF8.GetByteCount(head) - Encoding.UTF8.GetByteCount(tail);
        while (fill.Length < room)
        {
            fill.Append(words[fill.Length % words.Length]);
        }

        var line = Encoding.UTF8.GetBytes(head + fill + tail);
        return line.Length == LineBytes ? line : throw new InvalidOperationException($"The line has {line.Length} bytes, not {LineBytes}.");
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(ThroughputColumn.MegabytesPerSecond(c => (int)c.Parameters["RecordCount"] * (double)LineBytes, "RecordCount × LineBytes of JSONL read / mean time"));
    }
}
