using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Generation;

/// <summary>A "Tokens/s" column: generated tokens per operation (streams × tokens per stream) divided by the mean time.</summary>
public sealed class GeneratedTokensPerSecondColumn : IColumn
{
    public string Id => nameof(GeneratedTokensPerSecondColumn);

    public string ColumnName => "Tokens/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Generated tokens per second, all streams together";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || statistics.Mean <= 0)
        {
            return "-";
        }

        var streams = benchmarkCase.Parameters["Streams"] is int s ? s : 1;
        var tokens = streams * GenerationThroughputBenchmarks.TokensPerStream;
        return (tokens / (statistics.Mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;

    /// <summary>Adds the column.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GeneratedTokensPerSecondColumn());
    }
}
