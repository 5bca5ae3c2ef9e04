using Aigc.Inference;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Benchmarks.Generation;

/// <summary>
/// Per-token decode time of one sequence at position 16 and 256: with the KV cache (16 decode steps from a prefilled
/// cache, reported per token; each operation first restores the prefilled cache, one copy of it) against recomputing
/// the whole sequence for each token without a cache. Goal: cached decode at 256 within 1.5× of at 16.
/// </summary>
[MemoryDiagnoser]
public class DecodeCacheBenchmarks
{
    private const int Steps = 16;

    private DecoderModel _model = null!;
    private KvBatch _prefilled = null!;
    private KvBatch _working = null!;
    private RunOptions _runOptions = null!;
    private List<(KvBatch, int, SequenceState)> _source = [];

    [Params(16, 256)]
    public int Position { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        GenerationBenchmarkModels.EnsureExported();
        _model = new DecoderModel(new GenerationEngineOptions { ModelPath = GenerationBenchmarkModels.Base });
        _runOptions = new RunOptions();
        var prompt = Enumerable.Range(0, Position).Select(i => (i * 7919) % GenerationBenchmarkModels.Vocab).ToArray();
        var sequence = new SequenceState(new GenerationRequest(prompt), 1, new HashSet<int>(), null, 0);
        _prefilled = new KvBatch(_model);
        _prefilled.StartSingle(sequence);
        for (var done = 0; done < Position; done += 64)
        {
            var chunk = Math.Min(64, Position - done);
            _prefilled.PrepareInputs(chunk);
            for (var t = 0; t < chunk; t++)
            {
                _prefilled.Ids[t] = prompt[done + t];
                _prefilled.Positions[t] = done + t;
            }

            _prefilled.Run(_runOptions, chunk);
        }

        _working = new KvBatch(_model);
        _source = [(_prefilled, 0, sequence)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runOptions.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public float CachedDecode()
    {
        _working.Repack(_source);
        var sum = 0f;
        for (var step = 0; step < Steps; step++)
        {
            _working.PrepareInputs(1);
            _working.Ids[0] = 42 + step;
            _working.Positions[0] = Position + step;
            sum += _working.Run(_runOptions, 1)[0];
        }

        return sum;
    }

    [Benchmark]
    public float RecomputeWithoutCache()
    {
        // One token without a cache: the whole sequence (prompt + the new token) through the model.
        _working.StartSingle(_source[0].Item3);
        _working.PrepareInputs(Position + 1);
        for (var t = 0; t <= Position; t++)
        {
            _working.Ids[t] = (t * 7919) % GenerationBenchmarkModels.Vocab;
            _working.Positions[t] = t;
        }

        return _working.Run(_runOptions, Position + 1)[0];
    }
}
