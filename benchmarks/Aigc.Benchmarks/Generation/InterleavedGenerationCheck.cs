using System.Diagnostics;
using System.Globalization;

namespace Aigc.Benchmarks.Generation;

/// <summary>
/// A load-robust cross-check of the generation ratios for a shared, busy machine: the cases of
/// <see cref="GenerationThroughputBenchmarks"/> (16 streams) and <see cref="MultiLoraBenchmarks"/> run in turn, round
/// after round, so a change in the machine's load hits every case alike; prints each case's median and its ratio to
/// the baseline. BenchmarkDotNet's runs remain the reference; this says whether a ratio is the code's or the load's.
/// </summary>
public static class InterleavedGenerationCheck
{
    public static async Task<int> RunAsync(int rounds)
    {
        var throughput = new GenerationThroughputBenchmarks { Streams = 16 };
        throughput.Setup();
        var lora = new MultiLoraBenchmarks();
        lora.Setup();
        (string Name, Func<Task<int>> Run)[] cases =
        [
            ("Throughput16.OneAtATime", throughput.OneAtATime),
            ("Throughput16.Concurrent", throughput.Concurrent),
            ("MultiLora.BaseModel", lora.BaseModel),
            ("MultiLora.FourMixedAdapters (per run)", lora.FourMixedAdapters),
            ("MultiLora.PerRowNoAdapter", lora.PerRowNoAdapter),
            ("MultiLora.PerRowFourMixedAdapters", lora.PerRowFourMixedAdapters),
        ];
        var times = cases.Select(_ => new List<double>()).ToArray();
        foreach (var (_, run) in cases)
        {
            await run(); // warm-up
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                // Let the previous case's ONNX Runtime threads stop spinning (each engine's session has its own pool,
                // which spins a while after a run): otherwise they take a core from the case that follows.
                await Task.Delay(20);
                var watch = Stopwatch.StartNew();
                await cases[i].Run();
                times[i].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        for (var i = 0; i < cases.Length; i++)
        {
            var baseline = i < 2 ? Median(times[0]) : Median(times[2]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases[i].Name,-40} median {Median(times[i]),9:F2} ms   ratio to baseline {Median(times[i]) / baseline:F2}"));
        }

        var perPair = times[0].Zip(times[1], (one, concurrent) => one / concurrent).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"16 streams vs one at a time, median of per-round speed-ups: {Median(perPair):F2}x"));
        var mixed = times[2].Zip(times[5], (b, m) => m / b).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per-row mixed 4 adapters vs base, median of per-round ratios: {Median(mixed):F2}x"));
        throughput.Cleanup();
        lora.Cleanup();
        return 0;
    }
}
