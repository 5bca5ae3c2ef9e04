using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aigc.Benchmarks.Inference;

/// <summary>
/// The columns of <see cref="ResNet18ServingBenchmarks"/>: images/s (one operation is one image), the share of the
/// ceiling's images/s, p50/p99 latency and mean batch size from the load generator, and the p99 goal (max queue delay
/// plus two compute times of a full batch), with the batch time taken from the ceiling and, in the second goal column,
/// from the executions the case's own requests ran in (the same iterations as its p99, so load from other processes
/// on the machine affects both alike).
/// </summary>
public sealed class ServingColumns : CustomColumn
{
    private readonly string _id;
    private readonly Func<Summary, BenchmarkCase, string> _value;

    private ServingColumns(string id, string legend, Func<Summary, BenchmarkCase, string> value)
    {
        _id = id;
        Legend = legend;
        _value = value;
    }

    public override string Id => "Serving." + _id;

    public override string ColumnName => _id;

    public override string Legend { get; }

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => _value(summary, benchmarkCase);

    private static double? ImagesPerSecond(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.ResultStatistics?.Mean is > 0 and var mean ? 1e9 / mean : null;

    private static BenchmarkCase? Ceiling(Summary summary)
        => summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == nameof(ResNet18ServingBenchmarks.RawFullBatches));

    private static LoadStatistics? Statistics(BenchmarkCase benchmarkCase)
        => LoadGenerator.Load("resnet18-" + benchmarkCase.Descriptor.WorkloadMethod.Name);

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>Adds the columns.</summary>
    public sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(
                new ServingColumns("Images/s", "Images per second: 1 / mean time per image", (s, c) => Format(ImagesPerSecond(s, c), "N1")),
                new ServingColumns("Of ceiling", "Images/s divided by the raw full-batch loop's images/s (goal for the batcher: ≥ 85 %)", (s, c) =>
                    Ceiling(s) is { } ceiling && ImagesPerSecond(s, ceiling) is { } top ? Format(ImagesPerSecond(s, c) / top, "P0") : "-"),
                new ServingColumns("p50 ms", "Median request latency seen by the callers (load generator)", (s, c) => Format(Statistics(c)?.P50Ms, "N0")),
                new ServingColumns("p99 ms", "99th-percentile request latency seen by the callers (load generator; median over iterations)", (s, c) => Format(Statistics(c)?.P99Ms, "N0")),
                new ServingColumns("p99 goal ms", "Max queue delay + 2 × the compute time of a full batch (from the ceiling)", (s, c) =>
                    Ceiling(s) is { } ceiling && ImagesPerSecond(s, ceiling) is { } top
                        ? Format(ResNet18ServingBenchmarks.MaxQueueDelay.TotalMilliseconds + (2 * ResNet18ServingBenchmarks.MaxBatch / top * 1000), "N0")
                        : "-"),
                new ServingColumns("Own p99 goal ms", "Max queue delay + 2 × the mean compute time of the executions this case's requests ran in (same iterations as its p99)", (s, c) =>
                    Statistics(c) is { BatchComputeMs: > 0 } own ? Format(ResNet18ServingBenchmarks.MaxQueueDelay.TotalMilliseconds + (2 * own.BatchComputeMs), "N0") : "-"),
                new ServingColumns("Mean batch", "Mean rows of the model execution a request ran in", (s, c) => Format(Statistics(c)?.MeanBatchRows, "N1")),
                new ServingColumns("Batch ms", "Mean compute time of the execution a request ran in (copy in, run, copy out)", (s, c) => Format(Statistics(c)?.BatchComputeMs, "N0")));
        }
    }
}
