using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Data;

/// <summary>
/// The <c>MB/s</c> column of <see cref="JsonlReadBenchmarks"/>: bytes read per operation
/// (<c>RecordCount × 1024</c>) divided by the mean time.
/// </summary>
public sealed class JsonlThroughputColumn : IColumn
{
    public string Id => nameof(JsonlThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Megabytes (10^6 bytes) of JSONL read per second: RecordCount × 1024 bytes / mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not > 0 || benchmarkCase.Parameters["RecordCount"] is not int records)
        {
            return "-";
        }

        var bytes = (double)records * JsonlReadBenchmarks.LineBytes;
        return (bytes / 1e6 / (mean.Value / 1e9)).ToString("N1", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
