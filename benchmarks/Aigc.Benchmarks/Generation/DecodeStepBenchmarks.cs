using Aigc.Inference;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Benchmarks.Generation;

/// <summary>
/// Where a decode step's time goes, at 1 and 16 rows over a 24-position cache: the ONNX Runtime run alone (the floor
/// a step cannot go below), and the engine's own per-step work after it (picking the greedy token of every row).
/// Reported per generated token (one per row), so the rows compare directly.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DecodeStepBenchmarks.TokensConfig))]
public class DecodeStepBenchmarks
{
    private const int Past = 24;

    private DecoderModel _model = null!;
    private KvBatch _prefilled = null!;
    private KvBatch _working = null!;
    private RunOptions _runOptions = null!;
    private float[] _logits = [];
    private SequenceState[] _sequences = [];
    private SamplerScratch _scratch = null!;
    private List<(KvBatch, int, SequenceState)> _source = [];

    [Params(1, 16)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        GenerationBenchmarkModels.EnsureExported();
        _model = new DecoderModel(new GenerationEngineOptions { ModelPath = GenerationBenchmarkModels.Base });
        _runOptions = new RunOptions();
        _scratch = new SamplerScratch(_model.VocabSize);
        var prompt = Enumerable.Range(0, Past).Select(i => (i * 7919) % GenerationBenchmarkModels.Vocab).ToArray();
        _sequences = Enumerable.Range(0, Rows).Select(_ => new SequenceState(new GenerationRequest(prompt), 64, new HashSet<int>(), null, 0)).ToArray();
        _prefilled = new KvBatch(_model);
        _prefilled.StartSingle(_sequences[0]);
        _prefilled.PrepareInputs(Past);
        for (var t = 0; t < Past; t++)
        {
            _prefilled.Ids[t] = prompt[t];
            _prefilled.Positions[t] = t;
        }

        _prefilled.Run(_runOptions, Past);
        _working = new KvBatch(_model);
        _source = _sequences.Select(s => (_prefilled, 0, s)).ToList();
        _working.Repack(_source);
        _logits = _working.Run(_runOptions, 1).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runOptions.Dispose();
        _model.Dispose();
    }

    /// <summary>One decode step of every row, ONNX Runtime only (the cache restored each time, outside the timing's weight: one small copy).</summary>
    [Benchmark(Baseline = true)]
    public float OrtDecodeStep()
    {
        _working.Repack(_source);
        _working.PrepareInputs(1);
        for (var r = 0; r < Rows; r++)
        {
            _working.Ids[r] = 42 + r;
            _working.Positions[r] = Past;
        }

        return _working.Run(_runOptions, 1)[0];
    }

    /// <summary>The engine's greedy pick for every row of a step's logits.</summary>
    [Benchmark]
    public int GreedyPick()
    {
        var vocab = _model.VocabSize;
        var sum = 0;
        for (var r = 0; r < Rows; r++)
        {
            sum += _sequences[r].Sampler.Next(_logits.AsSpan(0, vocab), _sequences[r].Tokens, _scratch).TokenId;
        }

        return sum;
    }

    /// <summary>Adds a Tokens/s column: one token per row per operation.</summary>
    public sealed class TokensConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public TokensConfig() => AddColumn(ThroughputColumn.TokensPerSecond(
            c => c.Parameters["Rows"] is int rows ? rows : 1,
            "tokens of one step, one per row"));
    }
}
