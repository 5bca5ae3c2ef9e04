using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Data;

/// <summary>A "Tokens/s" column for <see cref="TokenizationBenchmarks"/>: tokens per operation divided by the mean time.</summary>
public sealed class TokenizationThroughputColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, long> TokensPerOperation = new(StringComparer.Ordinal);

    public string Id => nameof(TokenizationThroughputColumn);

    public string ColumnName => "Tokens/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Tokens produced per second (tokens per operation / mean time)";

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

        var kind = benchmarkCase.Parameters["Kind"] as string ?? "text";
        var tokens = TokensPerOperation.GetOrAdd(kind, TokenizationBenchmarks.CountTokens);
        return (tokens / (statistics.Mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;

    /// <summary>Adds the column to the default configuration.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new TokenizationThroughputColumn());
    }
}
