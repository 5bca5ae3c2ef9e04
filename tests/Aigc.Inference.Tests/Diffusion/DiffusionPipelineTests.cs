using SkiaSharp;

namespace Aigc.Inference.Tests.Diffusion;

/// <summary>End to end on the tiny Optimum-layout model: text encoder, UNet with guidance, scheduler, VAE, PNG.</summary>
public sealed class DiffusionPipelineTests(TinyDiffusionFixture model) : IClassFixture<TinyDiffusionFixture>
{
    [Fact]
    public async Task A_seed_gives_the_same_image_and_another_seed_a_different_one()
    {
        await using var pipeline = model.Pipeline();

        var first = await pipeline.GenerateAsync(Request(seed: 11));
        var again = await pipeline.GenerateAsync(Request(seed: 11));
        var other = await pipeline.GenerateAsync(Request(seed: 12));

        Assert.Equal(first.Images[0].Png.ToArray(), again.Images[0].Png.ToArray());
        Assert.NotEqual(first.Images[0].Rgb.ToArray(), other.Images[0].Rgb.ToArray());
        Assert.Equal(11, first.Images[0].Seed);
        Assert.True(Distinct(first.Images[0].Rgb.Span) > 50, "The image is not flat.");
    }

    [Fact]
    public async Task Images_have_the_requested_size_and_are_valid_png_files()
    {
        await using var pipeline = model.Pipeline();

        var result = await pipeline.GenerateAsync(Request(seed: 3, width: 64, height: 40, images: 3));

        Assert.Equal(3, result.Images.Count);
        Assert.Equal([3, 4, 5], result.Images.Select(i => i.Seed));
        foreach (var image in result.Images)
        {
            Assert.Equal((64, 40), (image.Width, image.Height));
            Assert.Equal(64 * 40 * 3, image.Rgb.Length);
            using var decoded = SKBitmap.Decode(image.Png.Span);
            Assert.Equal((64, 40), (decoded.Width, decoded.Height));
            var pixel = decoded.GetPixel(5, 7);
            var offset = ((7 * 64) + 5) * 3;
            Assert.Equal((image.Rgb.Span[offset], image.Rgb.Span[offset + 1], image.Rgb.Span[offset + 2]), (pixel.Red, pixel.Green, pixel.Blue));
        }

        Assert.NotEqual(result.Images[0].Rgb.ToArray(), result.Images[1].Rgb.ToArray());
    }

    [Fact]
    public async Task Image_i_of_a_request_is_the_single_image_of_seed_plus_i()
    {
        await using var pipeline = model.Pipeline();

        var three = await pipeline.GenerateAsync(Request(seed: 20, images: 3));
        var single = await pipeline.GenerateAsync(Request(seed: 22));

        AssertNear(single.Images[0].Rgb.Span, three.Images[2].Rgb.Span);
    }

    [Fact]
    public async Task Guidance_scale_one_runs_no_unconditional_branch_and_equals_the_guided_formula_at_one()
    {
        await using var pipeline = model.Pipeline();

        var plain = await pipeline.GenerateAsync(Request(seed: 5, guidance: 1f));
        var rowsAfterPlain = pipeline.UnetRows;
        var withNegative = await pipeline.GenerateAsync(Request(seed: 5, guidance: 1f, negative: "dog"));
        pipeline.AlwaysGuide = true;
        var rowsBeforeGuided = pipeline.UnetRows;
        var guidedAtOne = await pipeline.GenerateAsync(Request(seed: 5, guidance: 1f, negative: "dog"));

        Assert.Equal(4, rowsAfterPlain);
        Assert.Equal(8, pipeline.UnetRows - rowsBeforeGuided);
        Assert.Equal(plain.Images[0].Rgb.ToArray(), withNegative.Images[0].Rgb.ToArray());
        AssertNear(plain.Images[0].Rgb.Span, guidedAtOne.Images[0].Rgb.Span);
    }

    [Fact]
    public async Task Guidance_and_the_negative_prompt_change_the_image()
    {
        await using var pipeline = model.Pipeline();

        var unguided = await pipeline.GenerateAsync(Request(seed: 5, guidance: 1f));
        var guided = await pipeline.GenerateAsync(Request(seed: 5, guidance: 7.5f));
        var negative = await pipeline.GenerateAsync(Request(seed: 5, guidance: 7.5f, negative: "red dog"));

        Assert.NotEqual(unguided.Images[0].Rgb.ToArray(), guided.Images[0].Rgb.ToArray());
        Assert.NotEqual(guided.Images[0].Rgb.ToArray(), negative.Images[0].Rgb.ToArray());
    }

    [Theory]
    [InlineData(DiffusionSchedulerKind.Ddim)]
    [InlineData(DiffusionSchedulerKind.EulerDiscrete)]
    [InlineData(DiffusionSchedulerKind.EulerAncestralDiscrete)]
    [InlineData(DiffusionSchedulerKind.DpmSolverMultistep)]
    public async Task Every_scheduler_runs_deterministically_and_differs_from_the_others(DiffusionSchedulerKind kind)
    {
        await using var pipeline = model.Pipeline();
        Assert.Equal(DiffusionSchedulerKind.DpmSolverMultistep, pipeline.DefaultScheduler);

        var a = await pipeline.GenerateAsync(Request(seed: 9, scheduler: kind));
        var b = await pipeline.GenerateAsync(Request(seed: 9, scheduler: kind));
        var other = await pipeline.GenerateAsync(Request(seed: 9, scheduler: kind == DiffusionSchedulerKind.Ddim ? DiffusionSchedulerKind.EulerDiscrete : DiffusionSchedulerKind.Ddim));

        Assert.Equal(a.Images[0].Rgb.ToArray(), b.Images[0].Rgb.ToArray());
        Assert.NotEqual(a.Images[0].Rgb.ToArray(), other.Images[0].Rgb.ToArray());
    }

    [Fact]
    public async Task Progress_is_reported_after_every_step()
    {
        await using var pipeline = model.Pipeline();
        var progress = new ListProgress();

        await pipeline.GenerateAsync(Request(seed: 1, steps: 6), progress);

        Assert.Equal(Enumerable.Range(1, 6).Select(i => new DiffusionProgress(i, 6)), progress.Reports);
    }

    [Fact]
    public async Task Image_to_image_starts_from_the_encoded_image_at_the_strength_step()
    {
        await using var pipeline = model.Pipeline();
        Assert.True(pipeline.SupportsImageToImage);
        var init = (await pipeline.GenerateAsync(Request(seed: 2, width: 48, height: 32))).Images[0].Png;

        var light = await pipeline.GenerateAsync(Request(seed: 4, steps: 10, init: init, strength: 0.3f));
        var lightAgain = await pipeline.GenerateAsync(Request(seed: 4, steps: 10, init: init, strength: 0.3f));
        var strong = await pipeline.GenerateAsync(Request(seed: 4, steps: 10, init: init, strength: 1f));

        Assert.Equal(3, light.Steps);
        Assert.Equal(10, strong.Steps);
        Assert.Equal((48, 32), (light.Images[0].Width, light.Images[0].Height));
        Assert.Equal(light.Images[0].Rgb.ToArray(), lightAgain.Images[0].Rgb.ToArray());
        Assert.NotEqual(light.Images[0].Rgb.ToArray(), strong.Images[0].Rgb.ToArray());
    }

    [Fact]
    public async Task Cancelling_a_request_stops_it_and_the_pipeline_serves_the_next()
    {
        await using var pipeline = model.Pipeline();
        using var cancellation = new CancellationTokenSource();
        var progress = new ListProgress(onReport: p =>
        {
            if (p.Step == 2)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.GenerateAsync(Request(seed: 1, steps: 200), progress, cancellation.Token));
        Assert.InRange(progress.Reports.Count, 2, 4);
        Assert.Equal(0, pipeline.RunningRequests);

        var next = await pipeline.GenerateAsync(Request(seed: 1));
        Assert.Single(next.Images);
    }

    [Fact]
    public async Task Bad_requests_get_errors_that_say_what_is_wrong()
    {
        await using var pipeline = model.Pipeline(maxBatchSize: 4);

        var size = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.GenerateAsync(Request(seed: 1, width: 60)));
        Assert.Contains("multiple of 8", size.Message, StringComparison.Ordinal);
        var rows = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.GenerateAsync(Request(seed: 1, images: 3, guidance: 7f)));
        Assert.Contains("MaxBatchSize is 4", rows.Message, StringComparison.Ordinal);
        var steps = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.GenerateAsync(Request(seed: 1, steps: 0)));
        Assert.Contains("Steps is 0", steps.Message, StringComparison.Ordinal);
        var strength = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.GenerateAsync(Request(seed: 1, steps: 4, init: new byte[] { 1, 2, 3 }, strength: 0.1f)));
        Assert.Contains("Strength", strength.Message, StringComparison.Ordinal);

        await using var textOnly = new DiffusionPipeline(new DiffusionPipelineOptions { ModelPath = model.WithoutEncoder });
        Assert.False(textOnly.SupportsImageToImage);
        await Assert.ThrowsAsync<NotSupportedException>(() => textOnly.GenerateAsync(Request(seed: 1, init: new byte[] { 1 })));
    }

    [Fact]
    public void A_folder_without_a_unet_is_named_in_the_error()
    {
        var broken = Path.Combine(model.Root, "no-unet-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(model.WithoutEncoder, broken);
        File.Delete(Path.Combine(broken, "unet", "model.onnx"));

        var error = Assert.Throws<FileNotFoundException>(() => new DiffusionPipeline(new DiffusionPipelineOptions { ModelPath = broken }));
        Assert.Contains("unet/model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => new DiffusionPipeline(new DiffusionPipelineOptions { ModelPath = Path.Combine(model.Root, "missing") }));
        Assert.Throws<ArgumentException>(() => new DiffusionPipeline(new DiffusionPipelineOptions()));
    }

    internal static DiffusionRequest Request(
        int seed,
        int width = 32,
        int height = 32,
        int images = 1,
        float guidance = 7.5f,
        string? negative = null,
        int steps = 4,
        DiffusionSchedulerKind? scheduler = null,
        ReadOnlyMemory<byte>? init = null,
        float strength = 0.8f,
        string prompt = "a red cat") => new()
        {
            Prompt = prompt,
            NegativePrompt = negative,
            GuidanceScale = guidance,
            Steps = steps,
            Width = init is null ? width : null,
            Height = init is null ? height : null,
            ImageCount = images,
            Seed = seed,
            Scheduler = scheduler,
            InitImage = init,
            Strength = strength,
        };

    /// <summary>Batch shapes may change the last float bits inside ONNX Runtime; a pixel may then round one level apart.</summary>
    internal static void AssertNear(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1, $"Byte {i}: {expected[i]} vs {actual[i]}.");
        }
    }

    private static int Distinct(ReadOnlySpan<byte> rgb)
    {
        var seen = new HashSet<byte>();
        foreach (var b in rgb)
        {
            seen.Add(b);
        }

        return seen.Count;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    internal sealed class ListProgress(Action<DiffusionProgress>? onReport = null) : IProgress<DiffusionProgress>
    {
        private readonly List<DiffusionProgress> _reports = [];

        public IReadOnlyList<DiffusionProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(DiffusionProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }

            onReport?.Invoke(value);
        }
    }
}
