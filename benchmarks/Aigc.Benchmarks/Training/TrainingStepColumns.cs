using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Training;

/// <summary>
/// The columns of <see cref="TrainingStepBenchmarks"/>: GFLOP per operation, GFLOP/s, the ratio of the step time to its
/// floor (FLOPs ÷ the multiply rate <see cref="TrainingStepBenchmarks.MatMul"/> measured in the same run), and the
/// peak resident memory while measuring.
/// </summary>
public sealed class TrainingStepColumns : CustomColumn
{
    private readonly Kind _kind;

    private TrainingStepColumns(Kind kind) => _kind = kind;

    private enum Kind
    {
        Gflop,
        Rate,
        FloorRatio,
        HeadFloorRatio,
        PeakResident,
        StepMemory,
    }

    public override string Id => nameof(TrainingStepColumns) + "." + _kind;

    public override string ColumnName => _kind switch
    {
        Kind.Gflop => "GFLOP",
        Kind.Rate => "GFLOP/s",
        Kind.FloorRatio => "x floor",
        Kind.HeadFloorRatio => "x head-rate floor",
        Kind.PeakResident => "Peak RSS",
        _ => "Step mem",
    };

    public override int PriorityInCategory => (int)_kind;

    public override string Legend => _kind switch
    {
        Kind.Gflop => "Floating-point operations of one operation (matrix products, 2 per multiply-add; formula in the class docs)",
        Kind.Rate => "GFLOP ÷ mean time",
        Kind.FloorRatio => "Mean time ÷ (FLOPs ÷ the MatMul benchmark's rate): how far the step is from its matrix-multiply floor at the machine's peak (square) rate",
        Kind.HeadFloorRatio => "Mean time ÷ (FLOPs ÷ the HeadProducts benchmark's rate): the same floor at the rate this machine reaches on the LM head's own product shapes",
        Kind.PeakResident => "Peak resident size of the benchmark process while measuring (VmHWM after a reset at set-up)",
        _ => "Peak resident size minus the resident size after set-up",
    };

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var name = benchmarkCase.Descriptor.WorkloadMethod.Name;
        var flops = TrainingStepBenchmarks.Flops(name);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        switch (_kind)
        {
            case Kind.Gflop:
                return (flops / 1e9).ToString("F2", CultureInfo.InvariantCulture);
            case Kind.Rate:
                return mean is > 0 ? (flops / mean.Value).ToString("F1", CultureInfo.InvariantCulture) : "-";
            case Kind.FloorRatio:
                return FloorRatio(summary, mean, flops, nameof(TrainingStepBenchmarks.MatMul));
            case Kind.HeadFloorRatio:
                return FloorRatio(summary, mean, flops, nameof(TrainingStepBenchmarks.HeadProducts));
            default:
                var memory = PeakMemory.Load(name);
                if (memory is null)
                {
                    return "-";
                }

                var bytes = _kind == Kind.PeakResident ? memory.Value.Peak : memory.Value.Peak - memory.Value.Baseline;
                return (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB";
        }
    }

    private static string FloorRatio(Summary summary, double? mean, double flops, string reference)
    {
        var rateCase = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == reference);
        var rateMean = rateCase is null ? null : summary[rateCase]?.ResultStatistics?.Mean;
        if (mean is not > 0 || rateMean is not > 0)
        {
            return "-";
        }

        var rate = TrainingStepBenchmarks.Flops(reference) / rateMean.Value;
        return (mean.Value / (flops / rate)).ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <summary>Adds the columns to the default configuration.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(
            new TrainingStepColumns(Kind.Gflop),
            new TrainingStepColumns(Kind.Rate),
            new TrainingStepColumns(Kind.FloorRatio),
            new TrainingStepColumns(Kind.HeadFloorRatio),
            new TrainingStepColumns(Kind.PeakResident),
            new TrainingStepColumns(Kind.StepMemory));
    }
}
