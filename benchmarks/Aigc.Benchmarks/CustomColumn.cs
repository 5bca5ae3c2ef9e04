using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks;

/// <summary>
/// What every custom numeric column of this suite shares: always shown, in the custom category, dimensionless, never
/// a default column; a subclass gives its id, name, legend, order and values.
/// </summary>
public abstract class CustomColumn : IColumn
{
    public abstract string Id { get; }

    public abstract string ColumnName { get; }

    public abstract string Legend { get; }

    public virtual int PriorityInCategory => 0;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public virtual bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style);

    public override string ToString() => ColumnName;
}
