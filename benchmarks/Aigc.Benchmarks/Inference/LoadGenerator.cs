using System.Diagnostics;
using System.Text.Json;

namespace Aigc.Benchmarks.Inference;

/// <summary>
/// A closed-loop load generator: <c>callers</c> concurrent tasks, each sending its requests one after another and
/// recording every request's latency (and the batch it ran in). The statistics of a benchmark case are written to a
/// small JSON file at cleanup, for the columns of the summary (which runs in another process).
/// </summary>
public sealed class LoadGenerator
{
    private readonly List<double[]> _iterations = [];
    private readonly List<int[]> _batchRows = [];
    private readonly List<double[]> _computeMs = [];

    /// <summary>
    /// Runs one iteration: every caller sends <paramref name="perCaller"/> requests through <paramref name="send"/>,
    /// which returns the request's result (for the rows and compute time of the batch it ran in).
    /// </summary>
    public async Task RunAsync(int callers, int perCaller, Func<int, ValueTask<global::Aigc.Inference.InferenceResult>> send)
    {
        var latencies = new double[callers * perCaller];
        var batchRows = new int[callers * perCaller];
        var computeMs = new double[callers * perCaller];
        var tasks = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var caller = c;
            tasks[c] = Task.Run(async () =>
            {
                for (var i = 0; i < perCaller; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var result = await send(caller).ConfigureAwait(false);
                    latencies[(caller * perCaller) + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    batchRows[(caller * perCaller) + i] = result.BatchRows;
                    computeMs[(caller * perCaller) + i] = result.ComputeTime.TotalMilliseconds;
                }
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        _iterations.Add(latencies);
        _batchRows.Add(batchRows);
        _computeMs.Add(computeMs);
    }

    /// <summary>
    /// Writes the latency statistics: p50 over all requests, p99 as the median of the iterations' p99 (robust to one
    /// iteration disturbed by other load on the machine), mean batch rows and mean compute time of a batch. The first
    /// (warm-up) iteration is left out when there are several.
    /// </summary>
    public void Save(string name)
    {
        if (_iterations.Count == 0)
        {
            return;
        }

        var skip = _iterations.Count > 1 ? 1 : 0;
        var latencies = _iterations.Skip(skip).SelectMany(l => l).Order().ToArray();
        var p99s = _iterations.Skip(skip).Select(l => Percentile([.. l.Order()], 0.99)).Order().ToArray();
        var rows = _batchRows.Skip(skip).SelectMany(r => r).ToArray();
        var compute = _computeMs.Skip(skip).SelectMany(c => c).ToArray();
        var stats = new LoadStatistics(
            Percentile(latencies, 0.50),
            p99s[p99s.Length / 2],
            latencies[^1],
            rows.Length == 0 ? 0 : rows.Average(),
            compute.Length == 0 ? 0 : compute.Average(),
            latencies.Length);
        Directory.CreateDirectory(StatisticsDirectory);
        File.WriteAllText(PathOf(name), JsonSerializer.Serialize(stats));
        _iterations.Clear();
        _batchRows.Clear();
        _computeMs.Clear();
    }

    public static LoadStatistics? Load(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? JsonSerializer.Deserialize<LoadStatistics>(File.ReadAllText(path)) : null;
    }

    private static string StatisticsDirectory => Path.Combine(Path.GetTempPath(), "aigc-benchmarks");

    private static string PathOf(string name) => Path.Combine(StatisticsDirectory, name + ".json");

    private static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>Latency percentiles (milliseconds), mean batch size and mean compute time of a batch (milliseconds) of one benchmark case.</summary>
public sealed record LoadStatistics(double P50Ms, double P99Ms, double MaxMs, double MeanBatchRows, double BatchComputeMs, int Requests);
