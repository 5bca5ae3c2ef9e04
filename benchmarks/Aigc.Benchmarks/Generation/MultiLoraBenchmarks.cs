using Aigc.Inference;
using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.Generation;

/// <summary>
/// Per-token cost of a batch of four streams (32 greedy tokens each) on the LoRA-enabled exports: four different
/// adapters, one adapter for all four, no adapter, and the plain base export. The per-run export needs one run per
/// adapter group each step; the per-row export (<c>PerRow*</c>) serves the mixed batch in one run, each row gathering
/// its adapter's slot. Goal: the mixed four-adapter batch within 15 % of the base model.
/// </summary>
[MemoryDiagnoser]
public class MultiLoraBenchmarks
{
    private const int Tokens = 32;
    private const int Streams = 4;

    private GenerationEngine _lora = null!;
    private GenerationEngine _perRow = null!;
    private GenerationEngine _plain = null!;
    private int[][] _prompts = [];

    [GlobalSetup]
    public void Setup()
    {
        GenerationBenchmarkModels.EnsureExported();
        _lora = new GenerationEngine(new GenerationEngineOptions { ModelPath = GenerationBenchmarkModels.Lora, MaxRunningSequences = 16 });
        for (var i = 0; i < 4; i++)
        {
            _lora.RegisterAdapter($"a{i}", GenerationBenchmarkModels.Adapter(i), preload: true);
        }

        _perRow = new GenerationEngine(new GenerationEngineOptions { ModelPath = GenerationBenchmarkModels.LoraPerRow, MaxRunningSequences = 16 });
        for (var i = 0; i < 4; i++)
        {
            _perRow.RegisterAdapter($"a{i}", GenerationBenchmarkModels.Adapter(i), preload: true);
        }

        _plain = new GenerationEngine(new GenerationEngineOptions { ModelPath = GenerationBenchmarkModels.Base, MaxRunningSequences = 16 });
        var random = new Random(2);
        _prompts = Enumerable.Range(0, Streams).Select(_ => Enumerable.Range(0, 8).Select(_ => random.Next(GenerationBenchmarkModels.Vocab)).ToArray()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lora.Dispose();
        _perRow.Dispose();
        _plain.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Streams * Tokens)]
    public Task<int> BaseModel() => RunAsync(_plain, static _ => null);

    [Benchmark(OperationsPerInvoke = Streams * Tokens)]
    public Task<int> LoraGraphNoAdapter() => RunAsync(_lora, static _ => null);

    [Benchmark(OperationsPerInvoke = Streams * Tokens)]
    public Task<int> OneAdapterForAll() => RunAsync(_lora, static _ => "a0");

    [Benchmark(OperationsPerInvoke = Streams * Tokens)]
    public Task<int> FourMixedAdapters() => RunAsync(_lora, static i => $"a{i}");

    [Benchmark(OperationsPerInvoke = Streams * Tokens)]
    public Task<int> PerRowNoAdapter() => RunAsync(_perRow, static _ => null);

    [Benchmark(OperationsPerInvoke = Streams * Tokens)]
    public Task<int> PerRowOneAdapterForAll() => RunAsync(_perRow, static _ => "a0");

    [Benchmark(OperationsPerInvoke = Streams * Tokens)]
    public Task<int> PerRowFourMixedAdapters() => RunAsync(_perRow, static i => $"a{i}");

    private async Task<int> RunAsync(GenerationEngine engine, Func<int, string?> adapter)
    {
        var tasks = new Task<int>[Streams];
        for (var i = 0; i < Streams; i++)
        {
            tasks[i] = CountAsync(engine, new GenerationRequest(_prompts[i]) { Adapter = adapter(i), Sampling = new SamplingOptions { MaxTokens = Tokens } });
        }

        return (await Task.WhenAll(tasks)).Sum();
    }

    private static async Task<int> CountAsync(GenerationEngine engine, GenerationRequest request)
    {
        var count = 0;
        await foreach (var _ in engine.GenerateAsync(request))
        {
            count++;
        }

        return count;
    }
}
