namespace Aigc.Inference.Tests.Diffusion;

/// <summary>Builds the tiny Stable Diffusion folders once per test class and deletes them afterwards.</summary>
public sealed class TinyDiffusionFixture : IDisposable
{
    public TinyDiffusionFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "aigc-diffusion-" + Guid.NewGuid().ToString("N"));
        ModelPath = TinyStableDiffusion.Create(Path.Combine(Root, "tiny-sd"));
        WithoutEncoder = TinyStableDiffusion.Create(Path.Combine(Root, "tiny-sd-text-only"), withEncoder: false);
    }

    public string Root { get; }

    public string ModelPath { get; }

    public string WithoutEncoder { get; }

    internal DiffusionPipeline Pipeline(int maxBatchSize = 16) =>
        new(new DiffusionPipelineOptions { ModelPath = ModelPath, MaxBatchSize = maxBatchSize, IntraOpThreads = 1 });

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
