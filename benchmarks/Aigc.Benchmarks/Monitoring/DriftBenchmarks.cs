using Aigc.Monitoring;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace Aigc.Benchmarks.Monitoring;

/// <summary>
/// Drift detection: one PSI + KS comparison of two 1,000-value windows, and the per-value cost of
/// <see cref="DriftMonitor.Record"/> on the serving path (a comparison every 100 values included).
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks
{
    private const int Values = 10_000;
    private double[] _baseline = [];
    private double[] _current = [];
    private double[] _stream = [];
    private DriftMonitor _monitor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _baseline = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 100).ToArray();
        _current = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 110).ToArray();
        _stream = Enumerable.Range(0, Values).Select(_ => random.NextDouble() * 100).ToArray();
        _monitor = new DriftMonitor(Options.Create(new DriftOptions()));
        _monitor.SetBaseline("bench", _baseline);
    }

    [GlobalCleanup]
    public void Cleanup() => _monitor.Dispose();

    [Benchmark]
    public double CompareWindows() => DriftDetector.Compare("bench", _baseline, _current).Psi.Value;

    [Benchmark(OperationsPerInvoke = Values)]
    public void RecordValue()
    {
        foreach (var value in _stream)
        {
            _monitor.Record("bench", value);
        }
    }
}
