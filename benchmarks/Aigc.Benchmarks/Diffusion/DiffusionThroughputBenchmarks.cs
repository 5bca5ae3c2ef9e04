using Aigc.Inference;
using Aigc.Inference.Tests.Diffusion;
using BenchmarkDotNet.Attributes;

namespace Aigc.Benchmarks.Diffusion;

/// <summary>
/// Images per second of the diffusion pipeline on the tiny random-weight Stable Diffusion (Optimum layout): four
/// text-to-image requests (256 × 256, 20 DPM-Solver++ steps, guidance 7.5, different prompts and seeds) sent
/// concurrently, so their UNet steps share calls, against the same four one at a time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ImagesConfig))]
public class DiffusionThroughputBenchmarks
{
    public const int Requests = 4;

    /// <summary>Gets or sets the UNet's inner width: 0 is the test model (each call nearly free, so fixed per-call and per-image costs show), 64 adds two 3 × 3 convolutions through 64 channels (≈ 9 MFLOP a row at 32 × 32 latents).</summary>
    [Params(0, 64)]
    public int UnetWidth { get; set; }

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aigc-bench-tiny-sd");
    private DiffusionPipeline _pipeline = null!;
    private DiffusionRequest[] _requests = [];

    [GlobalSetup]
    public void Setup()
    {
        TinyStableDiffusion.Create(_directory, unetWidth: UnetWidth);
        _pipeline = new DiffusionPipeline(new DiffusionPipelineOptions { ModelPath = _directory, MaxBatchSize = 2 * Requests });
        string[] prompts = ["a red cat", "a dog", "red dog", "cat"];
        _requests = Enumerable.Range(0, Requests)
            .Select(i => new DiffusionRequest { Prompt = prompts[i], Seed = i, Steps = 20, Width = 256, Height = 256, GuidanceScale = 7.5f })
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> OneAtATime()
    {
        var images = 0;
        foreach (var request in _requests)
        {
            images += (await _pipeline.GenerateAsync(request)).Images.Count;
        }

        return images;
    }

    [Benchmark]
    public async Task<int> FourConcurrent()
    {
        var tasks = new Task<DiffusionResult>[_requests.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = _pipeline.GenerateAsync(_requests[i]);
        }

        var images = 0;
        foreach (var result in await Task.WhenAll(tasks))
        {
            images += result.Images.Count;
        }

        return images;
    }

    /// <summary>Adds an Images/s column: four images per operation / mean time.</summary>
    public sealed class ImagesConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public ImagesConfig() => AddColumn(new ThroughputColumn("Images/s", 1, "N1", _ => Requests, "Images per second: four 256 × 256 images, 20 steps each"));
    }
}
