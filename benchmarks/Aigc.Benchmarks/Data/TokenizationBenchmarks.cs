using System.Text;
using Aigc.Data;
using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// Tokenization for training: GPT-2 BPE over ~1 KB records (text and ChatML chats), with loss masking, and the same
/// followed by packing into 1024-token sequences. The tokens/s column divides the tokens one operation produces by its mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(TokenizationBenchmarks.TokensConfig))]
public class TokenizationBenchmarks
{
    public const int RecordCount = 64;

    private DataRecord[] _records = [];
    private RecordTokenizer _tokenizer = null!;
    private SequencePacker _packer = null!;

    [Params("text", "chat")]
    public string Kind { get; set; } = "text";

    /// <summary>Deterministic ~1 KB records of the given kind.</summary>
    public static DataRecord[] CreateRecords(string kind)
    {
        string[] words = ["the", "model", "learns", "from", "data", "東京", "quickly", "and", "tokens", "🌸", "pack", "into", "sequences", "with", "masks", "numbers", "1024", "über", "naïve", "Москва"];
        var random = new Random(42);
        var records = new DataRecord[RecordCount];
        for (var i = 0; i < records.Length; i++)
        {
            var builder = new StringBuilder(1100);
            while (builder.Length < 1000)
            {
                builder.Append(words[random.Next(words.Length)]).Append(random.Next(12) == 0 ? ".\n" : " ");
            }

            var text = builder.ToString();
            records[i] = kind == "chat"
                ? DataRecord.CreateChat($"r{i}", ("system", "You answer briefly."), ("user", text[..400]), ("assistant", text[400..]))
                : DataRecord.CreateText($"r{i}", text);
        }

        return records;
    }

    /// <summary>The tokens one benchmark operation produces (the same for both benchmarks).</summary>
    public static long CountTokens(string kind)
    {
        var tokenizer = RecordTokenizer.CreateGpt2();
        long tokens = 0;
        foreach (var record in CreateRecords(kind))
        {
            tokens += tokenizer.Tokenize(record).Length;
        }

        return tokens;
    }

    [GlobalSetup]
    public void Setup()
    {
        _records = CreateRecords(Kind);
        _tokenizer = RecordTokenizer.CreateGpt2();
        _packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 1024 });
    }

    [Benchmark(Baseline = true)]
    public long Tokenize()
    {
        long tokens = 0;
        foreach (var record in _records)
        {
            tokens += _tokenizer.TryTokenize(record, out var example, out _) ? example.Length : 0;
        }

        return tokens;
    }

    [Benchmark]
    public long TokenizeAndPack()
    {
        long tokens = 0;
        foreach (var sequence in _packer.Pack(Examples()))
        {
            tokens += sequence.TokenCount;
        }

        return tokens;
    }

    private IEnumerable<TokenizedExample> Examples()
    {
        foreach (var record in _records)
        {
            if (_tokenizer.TryTokenize(record, out var example, out _))
            {
                yield return example;
            }
        }
    }

    /// <summary>Adds a Tokens/s column: tokens produced per operation (counted once per kind) / mean time.</summary>
    public sealed class TokensConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> TokensPerOperation = new(StringComparer.Ordinal);

        public TokensConfig() => AddColumn(ThroughputColumn.TokensPerSecond(
            c => TokensPerOperation.GetOrAdd(c.Parameters["Kind"] as string ?? "text", CountTokens),
            "tokens produced per operation / mean time"));
    }
}
