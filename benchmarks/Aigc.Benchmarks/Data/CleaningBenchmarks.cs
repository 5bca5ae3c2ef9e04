using System.Text;
using Aigc.Data;
using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.Data;

/// <summary>Per-record cost of <see cref="NormalizeTextStep"/> and <see cref="PiiScrubStep"/> on about 1 KB of text.</summary>
[MemoryDiagnoser]
public class CleaningBenchmarks
{
    private readonly NormalizeTextStep _normalize = new();
    private readonly NormalizeTextStep _normalizeHtml = new(new NormalizeTextOptions { StripHtml = true });
    private readonly PiiScrubStep _scrub = new();
    private string _clean = string.Empty;
    private string _dirty = string.Empty;
    private string _html = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        const string sentence = "The history of the river valley is closely tied to the farms that have grown along its banks. ";
        var clean = new StringBuilder();
        while (clean.Length < 1024)
        {
            clean.Append(sentence);
        }

        _clean = clean.ToString().Trim();

        var dirty = new StringBuilder();
        var i = 0;
        while (dirty.Length < 1024)
        {
            dirty.Append((i++ % 4) switch
            {
                0 => "Cafe\u0301  au\u00A0lait \u200Bwith   friends.\r\n",
                1 => "Write to jane.doe@example.com or call +44 20 7946 0958 today.  ",
                2 => "Card 4111 1111 1111 1111 was used from 192.168.1.20 on 2024-01-15.\t\t",
                _ => sentence,
            });
        }

        _dirty = dirty.ToString();
        _html = "<html><body><p>" + _dirty.Replace("\r\n", "</p><p>", StringComparison.Ordinal) + "</p><script>var x = 1;</script></body></html>";
    }

    [Benchmark(Baseline = true)]
    public string NormalizeClean() => _normalize.Normalize(_clean);

    [Benchmark]
    public string NormalizeDirty() => _normalize.Normalize(_dirty);

    [Benchmark]
    public string NormalizeHtml() => _normalizeHtml.Normalize(_html);

    [Benchmark]
    public string ScrubClean() => _scrub.Scrub(_clean);

    [Benchmark]
    public string ScrubDirty() => _scrub.Scrub(_dirty);

    [Benchmark]
    public string NormalizeThenScrubDirty() => _scrub.Scrub(_normalize.Normalize(_dirty));
}
