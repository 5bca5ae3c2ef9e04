using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks;

/// <summary>A throughput column: bytes one operation processes divided by the mean time, in MB/s (10^6 bytes).</summary>
/// <param name="bytesPerOperation">The bytes one operation processes, for a benchmark case (0 when not applicable).</param>
/// <param name="legend">What the bytes are.</param>
public sealed class MegabytesPerSecondColumn(Func<BenchmarkCase, double> bytesPerOperation, string legend) : IColumn
{
    public string Id => nameof(MegabytesPerSecondColumn) + legend;

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Megabytes (10^6 bytes) per second: " + legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var bytes = bytesPerOperation(benchmarkCase);
        return mean is > 0 && bytes > 0 ? (bytes / 1e6 / (mean.Value / 1e9)).ToString("N1", CultureInfo.InvariantCulture) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
