using Aigc.Inference;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Benchmarks.Optimization;

/// <summary>
/// Float32 against int8 (weight-only through <c>DequantizeLinear</c>, weight-only through <c>MatMulNBits</c>, dynamic
/// through <c>MatMulInteger</c>) for the 6 × 256 GPT-2-vocabulary decoder of <see cref="QuantizationBenchmarkModels"/>:
/// per-token decode time on CPU (one sequence, KV cache prefilled with 32 tokens, 16 decode steps per operation, one
/// intra-op thread, ORT_ENABLE_ALL), with file size and held-out perplexity as columns. Goals: int8 ≥ 3.5× smaller and
/// ≥ 1.5× faster per token with ≤ 3 % higher perplexity.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuantizationBenchmarkConfig))]
public class QuantizationBenchmarks
{
    private const int Steps = 16;
    private const int Prompt = 32;

    private DecoderModel _model = null!;
    private KvBatch _prefilled = null!;
    private KvBatch _working = null!;
    private RunOptions _runOptions = null!;
    private List<(KvBatch, int, SequenceState)> _source = [];

    [ParamsSource(nameof(AllVariants))]
    public string Variant { get; set; } = "fp32";

    public static IEnumerable<string> AllVariants => QuantizationBenchmarkModels.Variants;

    [GlobalSetup]
    public void Setup()
    {
        QuantizationBenchmarkModels.EnsurePrepared();
        _model = new DecoderModel(new GenerationEngineOptions { ModelPath = QuantizationBenchmarkModels.PathOf(Variant), IntraOpThreads = 1 });
        _runOptions = new RunOptions();
        var prompt = Enumerable.Range(0, Prompt).Select(i => (i * 7919) % QuantizationBenchmarkModels.Vocab).ToArray();
        var sequence = new SequenceState(new GenerationRequest(prompt), 1, new HashSet<int>(), null, 0);
        _prefilled = new KvBatch(_model);
        _prefilled.StartSingle(sequence);
        _prefilled.PrepareInputs(Prompt);
        for (var t = 0; t < Prompt; t++)
        {
            _prefilled.Ids[t] = prompt[t];
            _prefilled.Positions[t] = t;
        }

        _prefilled.Run(_runOptions, Prompt);
        _working = new KvBatch(_model);
        _source = [(_prefilled, 0, sequence)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runOptions.Dispose();
        _model.Dispose();
    }

    /// <summary>16 cached decode steps; the mean is per token (OperationsPerInvoke).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float DecodeToken()
    {
        _working.Repack(_source);
        var sum = 0f;
        for (var step = 0; step < Steps; step++)
        {
            _working.PrepareInputs(1);
            _working.Ids[0] = 42 + step;
            _working.Positions[0] = Prompt + step;
            sum += _working.Run(_runOptions, 1)[0];
        }

        return sum;
    }
}

/// <summary>Adds <see cref="QuantizationColumns"/> to the default columns.</summary>
public sealed class QuantizationBenchmarkConfig : ManualConfig
{
    public QuantizationBenchmarkConfig()
    {
        foreach (var column in QuantizationColumns.All)
        {
            AddColumn(column);
        }
    }
}
