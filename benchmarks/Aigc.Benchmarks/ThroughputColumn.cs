using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks;

/// <summary>
/// A throughput column: the units one operation processes (bytes, tokens, …) divided by the mean time, scaled,
/// for example MB/s (bytes × 10^-6) or tokens/s.
/// </summary>
/// <param name="columnName">The column header, for example <c>MB/s</c>.</param>
/// <param name="scale">The factor applied to units per second (10^-6 for megabytes).</param>
/// <param name="format">The number format, for example <c>N1</c>.</param>
/// <param name="unitsPerOperation">The units one operation processes, for a benchmark case (0 when not applicable).</param>
/// <param name="legend">What the units are.</param>
public sealed class ThroughputColumn(string columnName, double scale, string format, Func<BenchmarkCase, double> unitsPerOperation, string legend) : CustomColumn
{
    /// <summary>A MB/s column (10^6 bytes per second).</summary>
    public static ThroughputColumn MegabytesPerSecond(Func<BenchmarkCase, double> bytesPerOperation, string legend) =>
        new("MB/s", 1e-6, "N1", bytesPerOperation, "Megabytes (10^6 bytes) per second: " + legend);

    /// <summary>A tokens/s column.</summary>
    public static ThroughputColumn TokensPerSecond(Func<BenchmarkCase, double> tokensPerOperation, string legend) =>
        new("Tokens/s", 1, "N0", tokensPerOperation, "Tokens per second: " + legend);

    public override string Id => nameof(ThroughputColumn) + columnName + legend;

    public override string ColumnName => columnName;

    public override string Legend => legend;

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var units = unitsPerOperation(benchmarkCase);
        return mean is > 0 && units > 0 ? (units * scale / (mean.Value / 1e9)).ToString(format, CultureInfo.InvariantCulture) : "-";
    }
}
