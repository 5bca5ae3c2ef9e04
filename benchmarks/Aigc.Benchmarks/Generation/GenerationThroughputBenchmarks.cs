using Aigc.Inference;
using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.Generation;

/// <summary>
/// Aggregate decode throughput of the continuous-batching engine: N streams of 32 greedy tokens (8-token prompts) run
/// concurrently, against the same N requests one at a time. Goal: 16 streams at least 4× one-at-a-time on 2 cores.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GenerationThroughputBenchmarks.TokensConfig))]
public class GenerationThroughputBenchmarks
{
    public const int TokensPerStream = 32;

    private GenerationEngine _engine = null!;
    private GenerationRequest[] _requests = [];

    [Params(1, 4, 16)]
    public int Streams { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        GenerationBenchmarkModels.EnsureExported();
        _engine = new GenerationEngine(new GenerationEngineOptions { ModelPath = GenerationBenchmarkModels.Base, MaxRunningSequences = 16, MaxTokensPerStep = 256 });
        var random = new Random(1);
        _requests = Enumerable.Range(0, Streams)
            .Select(_ => new GenerationRequest(Enumerable.Range(0, 8).Select(_ => random.Next(GenerationBenchmarkModels.Vocab)).ToArray()) { Sampling = new SamplingOptions { MaxTokens = TokensPerStream } })
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> OneAtATime()
    {
        var count = 0;
        foreach (var request in _requests)
        {
            count += await CountAsync(request);
        }

        return count;
    }

    [Benchmark]
    public async Task<int> Concurrent()
    {
        var tasks = new Task<int>[_requests.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = CountAsync(_requests[i]);
        }

        return (await Task.WhenAll(tasks)).Sum();
    }

    private async Task<int> CountAsync(GenerationRequest request)
    {
        var count = 0;
        await foreach (var _ in _engine.GenerateAsync(request))
        {
            count++;
        }

        return count;
    }

    /// <summary>Adds a Tokens/s column: streams × tokens per stream generated per operation / mean time.</summary>
    public sealed class TokensConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public TokensConfig() => AddColumn(ThroughputColumn.TokensPerSecond(
            c => (c.Parameters["Streams"] is int streams ? streams : 1) * (double)TokensPerStream,
            "generated tokens, all streams together"));
    }
}
