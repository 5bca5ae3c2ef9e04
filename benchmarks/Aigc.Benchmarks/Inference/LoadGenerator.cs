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

    /// <summary>Runs one iteration: every caller sends <paramref name="perCaller"/> requests through <paramref name="send"/>, which returns the rows of the batch the request ran in.</summary>
    public async Task RunAsync(int callers, int perCaller, Func<int, ValueTask<int>> send)
    {
        var latencies = new double[callers * perCaller];
        var batchRows = new int[callers * perCaller];
        var tasks = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var caller = c;
            tasks[c] = Task.Run(async () =>
            {
                for (var i = 0; i < perCaller; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var rows = await send(caller).ConfigureAwait(false);
                    latencies[(caller * perCaller) + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    batchRows[(caller * perCaller) + i] = rows;
                }
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        _iterations.Add(latencies);
        _batchRows.Add(batchRows);
    }

    /// <summary>Writes p50/p99 latency and mean batch size (without the first, warm-up, iteration when there are several).</summary>
    public void Save(string name)
    {
        if (_iterations.Count == 0)
        {
            return;
        }

        var skip = _iterations.Count > 1 ? 1 : 0;
        var latencies = _iterations.Skip(skip).SelectMany(l => l).Order().ToArray();
        var rows = _batchRows.Skip(skip).SelectMany(r => r).ToArray();
        var stats = new LoadStatistics(
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies[^1],
            rows.Length == 0 ? 0 : rows.Average(),
            latencies.Length);
        Directory.CreateDirectory(StatisticsDirectory);
        File.WriteAllText(PathOf(name), JsonSerializer.Serialize(stats));
        _iterations.Clear();
        _batchRows.Clear();
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

/// <summary>Latency percentiles (milliseconds) and mean batch size of one benchmark case.</summary>
public sealed record LoadStatistics(double P50Ms, double P99Ms, double MaxMs, double MeanBatchRows, int Requests);
