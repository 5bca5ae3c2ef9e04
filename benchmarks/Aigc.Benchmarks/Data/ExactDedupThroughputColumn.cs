using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Data;

/// <summary>A summary column with the text throughput in MB/s: a fixed number of text bytes per operation over the mean time.</summary>
public sealed class ExactDedupThroughputColumn(int bytesPerOperation) : IColumn
{
    public string Id => nameof(ExactDedupThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Text throughput: {bytesPerOperation} text bytes per operation over the mean time, in 10^6 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (bytesPerOperation / mean.Value * 1e3).ToString("N1", CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
