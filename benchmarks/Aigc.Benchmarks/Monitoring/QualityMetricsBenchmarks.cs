using Aigc.Monitoring;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Aigc.Benchmarks.Monitoring;

/// <summary>
/// The quality metrics over 1,000 segments of about 25 words (one operation per segment, so Op/s reads as
/// segments per second): corpus BLEU and chrF against one reference, ROUGE-1/2/L/Lsum per pair, Self-BLEU and
/// distinct-2 over the hypotheses.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class QualityMetricsBenchmarks
{
    public const int Segments = 1000;

    private readonly BleuScorer _bleu = new();
    private readonly ChrFScorer _chrF = new();
    private readonly RougeScorer _rouge = new();
    private string[] _hypotheses = [];
    private IReadOnlyList<IReadOnlyList<string?>> _references = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var references = new string[Segments];
        _hypotheses = new string[Segments];
        for (var i = 0; i < Segments; i++)
        {
            references[i] = SyntheticText.Sentence(random, 15 + random.Next(20));
            _hypotheses[i] = SyntheticText.Edit(random, references[i]);
        }

        _references = [references];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Segments)]
    public double CorpusBleu() => _bleu.CorpusScore(_hypotheses, _references).Score;

    [Benchmark(OperationsPerInvoke = Segments)]
    public double CorpusChrF() => _chrF.CorpusScore(_hypotheses, _references).Score;

    [Benchmark(OperationsPerInvoke = Segments)]
    public double Rouge()
    {
        var sum = 0.0;
        for (var i = 0; i < Segments; i++)
        {
            sum += _rouge.Score(_hypotheses[i], _references[0][i]!).RougeL.FMeasure;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Segments)]
    public double SelfBleuOfHypotheses() => SelfBleu.Compute(_hypotheses);

    [Benchmark(OperationsPerInvoke = Segments)]
    public double Distinct2() => DistinctN.Compute(_hypotheses, 2);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
