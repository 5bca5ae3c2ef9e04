using Aigc.Inference;
using Aigc.Monitoring;
using Microsoft.Extensions.AI;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// The code of the image generation article (docs/articles/images.md). It compiles with the quickstart but the
/// quickstart does not run it: it needs a Stable Diffusion model exported with Optimum, which nothing here downloads.
/// </summary>
internal static class ImageSnippets
{
    public static async Task GenerateAsync(string modelFolder, string outputFolder, CancellationToken cancellationToken)
    {
        #region generate
        await using var pipeline = new DiffusionPipeline(new DiffusionPipelineOptions
        {
            ModelPath = modelFolder,                                    // optimum-cli export onnx --model … modelFolder
            Scheduler = DiffusionSchedulerKind.DpmSolverMultistep,      // null: the one scheduler_config.json names
            MaxBatchSize = 8,                                           // UNet rows a call; guidance takes two an image
        });

        var progress = new Progress<DiffusionProgress>(p => Console.Write($"\rstep {p.Step}/{p.TotalSteps}"));
        var result = await pipeline.GenerateAsync(
            new DiffusionRequest
            {
                Prompt = "a poster of a red bicycle, studio light",
                NegativePrompt = "blurry, text",
                GuidanceScale = 7.5f,
                Steps = 25,
                Width = 512,
                Height = 512,
                ImageCount = 2,
                Seed = 42,                                              // image i uses seed 42 + i
            },
            progress,
            cancellationToken);

        foreach (var image in result.Images)
        {
            await File.WriteAllBytesAsync(Path.Combine(outputFolder, $"poster-{image.Seed}.png"), image.Png.ToArray(), cancellationToken);
        }
        #endregion

        #region image-to-image
        var variation = await pipeline.GenerateAsync(
            new DiffusionRequest
            {
                Prompt = "the same poster, in watercolor",
                InitImage = result.Images[0].Png,                       // needs vae_encoder/model.onnx
                Strength = 0.6f,                                        // runs the last ⌊25 × 0.6⌋ = 15 steps
                Steps = 25,
                Seed = 7,
            },
            cancellationToken: cancellationToken);
        #endregion
        _ = variation;
    }

    public static async Task<(double Fid, double ClipScore)> EvaluateAsync(
        string inceptionOnnx,
        IEmbeddingGenerator<string, Embedding<float>> clipText,
        IEmbeddingGenerator<DataContent, Embedding<float>> clipImage,
        IReadOnlyList<DataContent> realImages,
        IReadOnlyList<(string Prompt, DataContent Image)> generated,
        CancellationToken cancellationToken)
    {
        #region quality
        // FID: Inception-v3 pool3 features (2,048 a image) by convention, ImageNet normalization, 299 × 299 input.
        using var inception = new OnnxImageEmbeddingGenerator(new OnnxImageEmbeddingOptions
        {
            ModelPath = inceptionOnnx,
            Width = 299,
            Height = 299,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
        });
        var fid = await new FrechetInceptionDistance(inception)
            .ComputeAsync(realImages, generated.Select(g => g.Image), cancellationToken);

        // CLIP score: max(100 · cos(text, image), 0), averaged, with the CLIP encoders you supply.
        var clip = await new ClipScore(clipText, clipImage).ScoreAsync(generated, cancellationToken);
        #endregion
        return (fid, clip.Score);
    }
}
