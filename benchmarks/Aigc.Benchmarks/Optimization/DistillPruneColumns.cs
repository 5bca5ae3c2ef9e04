using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Optimization;

/// <summary>The columns of <see cref="DistillPruneBenchmarks"/>: ONNX file size, parameters and held-out perplexity of each case's model.</summary>
public sealed class DistillPruneColumns : CustomColumn
{
    private readonly Kind _kind;

    private DistillPruneColumns(Kind kind) => _kind = kind;

    private enum Kind
    {
        FileSize,
        Parameters,
        Perplexity,
    }

    public override string Id => nameof(DistillPruneColumns) + "." + _kind;

    public override string ColumnName => _kind switch
    {
        Kind.FileSize => "ONNX size",
        Kind.Parameters => "Params",
        _ => "Held-out PPL",
    };

    public override int PriorityInCategory => (int)_kind;

    public override string Legend => _kind switch
    {
        Kind.FileSize => "Size of the exported fp32 ONNX decoder",
        Kind.Parameters => "Parameters of the model (the tied LM head counted once)",
        _ => "Perplexity on 64 held-out sequences of the synthetic language (exp of the mean token loss)",
    };

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var name = DistillPruneBenchmarks.ModelName(benchmarkCase.Descriptor.WorkloadMethod.Name);
        if (DistillPruneModels.TryLoadStats() is not { } all || !all.TryGetValue(name, out var stats))
        {
            return "-";
        }

        return _kind switch
        {
            Kind.FileSize => (new FileInfo(DistillPruneModels.OnnxPath(name)).Length / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) + " MiB",
            Kind.Parameters => (stats.Parameters / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M",
            _ => stats.Perplexity.ToString("F3", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Adds the columns to the default configuration.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new DistillPruneColumns(Kind.FileSize), new DistillPruneColumns(Kind.Parameters), new DistillPruneColumns(Kind.Perplexity));
    }
}
