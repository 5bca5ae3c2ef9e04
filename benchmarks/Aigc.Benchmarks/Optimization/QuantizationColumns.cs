using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Optimization;

/// <summary>
/// The columns of <see cref="QuantizationBenchmarks"/>: file size and how many times smaller than float32, per-token
/// time relative to float32 (measured in the same run), held-out perplexity and its change from float32.
/// </summary>
public sealed class QuantizationColumns : CustomColumn
{
    private readonly Kind _kind;

    private QuantizationColumns(Kind kind) => _kind = kind;

    private enum Kind
    {
        SizeMb,
        Smaller,
        Faster,
        Perplexity,
        PerplexityChange,
    }

    public static IReadOnlyList<IColumn> All { get; } = Enum.GetValues<Kind>().Select(k => (IColumn)new QuantizationColumns(k)).ToList();

    public override string Id => nameof(QuantizationColumns) + "." + _kind;

    public override string ColumnName => _kind switch
    {
        Kind.SizeMb => "File MB",
        Kind.Smaller => "x smaller",
        Kind.Faster => "x faster",
        Kind.Perplexity => "Perplexity",
        _ => "PPL change",
    };

    public override int PriorityInCategory => (int)_kind;

    public override string Legend => _kind switch
    {
        Kind.SizeMb => "Size of the .onnx file (no external data), in MB (10^6 bytes)",
        Kind.Smaller => "float32 file size ÷ this file size",
        Kind.Faster => "float32 mean per-token time ÷ this mean per-token time, both from this run",
        Kind.Perplexity => "exp(mean next-token NLL) on 24 held-out windows of 64 tokens, through ONNX Runtime",
        _ => "Perplexity relative to float32",
    };

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var variant = (string)benchmarkCase.Parameters["Variant"];
        var stats = QuantizationBenchmarkModels.Stats(variant);
        var baseline = QuantizationBenchmarkModels.Stats("fp32");
        if (stats is null || baseline is null)
        {
            return "-";
        }

        switch (_kind)
        {
            case Kind.SizeMb:
                return (stats.Bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
            case Kind.Smaller:
                return ((double)baseline.Bytes / stats.Bytes).ToString("F2", CultureInfo.InvariantCulture);
            case Kind.Perplexity:
                return stats.Perplexity.ToString("F3", CultureInfo.InvariantCulture);
            case Kind.PerplexityChange:
                return ((stats.Perplexity / baseline.Perplexity) - 1).ToString("+0.00%;-0.00%;0.00%", CultureInfo.InvariantCulture);
            default:
                var fp32Case = summary.BenchmarksCases.FirstOrDefault(c => (string)c.Parameters["Variant"] == "fp32");
                var fp32 = fp32Case is null ? null : summary[fp32Case]?.ResultStatistics?.Mean;
                var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
                return fp32 is > 0 && mean is > 0 ? (fp32.Value / mean.Value).ToString("F2", CultureInfo.InvariantCulture) : "-";
        }
    }
}
