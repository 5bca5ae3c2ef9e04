using System.Globalization;
using Aigc.Data;
using SkiaSharp;

namespace Aigc.Data.Tests.Augmentation;

public sealed class ImageAugmentStepTests
{
    /// <summary>Writes a 64×64 PNG whose every pixel differs from its mirror image: red rises left to right, green top to bottom.</summary>
    private static string WriteAsymmetricPng(string directory, string name = "source.png", byte blue = 40)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 4), (byte)(y * 4), blue));
            }
        }

        var path = Path.Combine(directory, name);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static string WriteUniformPng(string directory, byte grey)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(grey, grey, grey));
        var path = Path.Combine(directory, "uniform.png");
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static ImageAugmentOptions Plain(string output) => new()
    {
        OutputDirectory = output,
        RandomResizedCrop = false,
        HorizontalFlipProbability = 0,
        CopiesPerRecord = 1,
    };

    [Fact]
    public async Task Copies_are_pngs_of_the_output_size_with_the_caption_and_new_paths()
    {
        var root = AugmentRunner.TempDirectory();
        var source = WriteAsymmetricPng(root);
        var output = Path.Combine(root, "out");
        var record = DataRecord.CreateImageCaption("img/1", source, "a gradient");
        record.Labels["style"] = "abstract";
        var step = new ImageAugmentStep(new ImageAugmentOptions { OutputDirectory = output, OutputWidth = 32, OutputHeight = 48, Brightness = 0.3, RotationDegrees = 10 });

        var (records, context) = await AugmentRunner.RunAsync(step, [record]);

        Assert.Equal(3, records.Count);
        Assert.Same(record, records[0]);
        for (var k = 1; k <= 2; k++)
        {
            var copy = records[k];
            Assert.Equal($"img/1#aug{k}", copy.Id);
            Assert.Equal(Path.Combine(output, $"img_1-aug{k}.png"), copy.ImagePath);
            Assert.Equal("a gradient", copy.GetField(FieldNames.Caption));
            Assert.Equal("abstract", copy.Labels["style"]);
            Assert.Equal("image", copy.Metadata[AugmentMetadataKeys.Method]);
            Assert.StartsWith("crop=", copy.Metadata[AugmentMetadataKeys.Transform], StringComparison.Ordinal);
            using var decoded = SKBitmap.Decode(copy.ImagePath);
            Assert.Equal(32, decoded.Width);
            Assert.Equal(48, decoded.Height);
        }

        Assert.Equal(2, context.AddedCount);
        AugmentRunner.AssertReconciles(1, records, context);
    }

    [Fact]
    public async Task Without_an_output_size_the_source_size_is_kept()
    {
        var root = AugmentRunner.TempDirectory();
        var step = new ImageAugmentStep(new ImageAugmentOptions { OutputDirectory = Path.Combine(root, "out"), CopiesPerRecord = 1 });

        var (records, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateImageCaption("a", WriteAsymmetricPng(root), "c")]);

        using var decoded = SKBitmap.Decode(records[1].ImagePath);
        Assert.Equal(64, decoded.Width);
        Assert.Equal(64, decoded.Height);
    }

    [Fact]
    public async Task A_flip_mirrors_every_pixel_left_to_right()
    {
        var root = AugmentRunner.TempDirectory();
        var source = WriteAsymmetricPng(root);
        var options = Plain(Path.Combine(root, "out"));
        options.HorizontalFlipProbability = 1;

        var (records, _) = await AugmentRunner.RunAsync(new ImageAugmentStep(options), [DataRecord.CreateImageCaption("a", source, "c")]);

        using var original = SKBitmap.Decode(source);
        using var flipped = SKBitmap.Decode(records[1].ImagePath);
        Assert.Contains("flip=true", records[1].Metadata[AugmentMetadataKeys.Transform], StringComparison.Ordinal);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                Assert.Equal(original.GetPixel(63 - x, y), flipped.GetPixel(x, y));
            }
        }

        Assert.NotEqual(original.GetPixel(0, 0), flipped.GetPixel(0, 0));
    }

    [Fact]
    public async Task With_every_transform_off_the_copy_equals_the_source()
    {
        var root = AugmentRunner.TempDirectory();
        var source = WriteAsymmetricPng(root);

        var (records, _) = await AugmentRunner.RunAsync(new ImageAugmentStep(Plain(Path.Combine(root, "out"))), [DataRecord.CreateImageCaption("a", source, "c")]);

        using var original = SKBitmap.Decode(source);
        using var copy = SKBitmap.Decode(records[1].ImagePath);
        Assert.Equal(original.Pixels, copy.Pixels);
    }

    [Fact]
    public async Task Random_resized_crop_respects_the_scale_and_ratio_ranges()
    {
        var root = AugmentRunner.TempDirectory();
        var step = new ImageAugmentStep(new ImageAugmentOptions { OutputDirectory = Path.Combine(root, "out"), CopiesPerRecord = 20, CropScaleMin = 0.25, CropScaleMax = 0.5 });

        var (records, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateImageCaption("a", WriteAsymmetricPng(root), "c")]);

        Assert.Equal(21, records.Count);
        foreach (var copy in records.Skip(1))
        {
            var crop = copy.Metadata[AugmentMetadataKeys.Transform].Split(';')[0]["crop=".Length..].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var (left, top, width, height) = (crop[0], crop[1], crop[2], crop[3]);
            Assert.InRange(left, 0, 64 - width);
            Assert.InRange(top, 0, 64 - height);
            Assert.InRange(width * height, (0.25 * 4096) - 100, (0.5 * 4096) + 100);
            Assert.InRange((double)width / height, 0.70, 1.40);
        }
    }

    [Fact]
    public async Task Brightness_jitter_scales_a_uniform_image_uniformly()
    {
        var root = AugmentRunner.TempDirectory();
        var options = Plain(Path.Combine(root, "out"));
        options.Brightness = 0.5;
        options.CopiesPerRecord = 3;

        var (records, _) = await AugmentRunner.RunAsync(new ImageAugmentStep(options), [DataRecord.CreateImageCaption("a", WriteUniformPng(root, 100), "c")]);

        foreach (var copy in records.Skip(1))
        {
            var factor = double.Parse(copy.Metadata[AugmentMetadataKeys.Transform].Split(";brightness=")[1].Split(';')[0], CultureInfo.InvariantCulture);
            using var bitmap = SKBitmap.Decode(copy.ImagePath);
            var pixel = bitmap.GetPixel(10, 10);
            Assert.InRange(factor, 0.5, 1.5);
            Assert.InRange(pixel.Red, (100 * factor) - 1, (100 * factor) + 1);
            Assert.Equal(pixel, bitmap.GetPixel(50, 40));
        }
    }

    [Fact]
    public async Task Saturation_zero_makes_the_image_grey()
    {
        var root = AugmentRunner.TempDirectory();
        var options = Plain(Path.Combine(root, "out"));
        options.Saturation = 1; // factor in [0, 2]

        var step = new ImageAugmentStep(options);
        var (records, _) = await AugmentRunner.RunAsync(step, [DataRecord.CreateImageCaption("a", WriteAsymmetricPng(root), "c")]);

        var factor = double.Parse(records[1].Metadata[AugmentMetadataKeys.Transform].Split(";saturation=")[1], CultureInfo.InvariantCulture);
        using var bitmap = SKBitmap.Decode(records[1].ImagePath);
        var pixel = bitmap.GetPixel(60, 5);

        // Red 240, green 20, blue 40: saturation pulls the channels towards their grey (≈ 87) by 1 − factor.
        var grey = (0.2989 * 240) + (0.587 * 20) + (0.114 * 40);
        Assert.InRange(pixel.Red, Math.Clamp((factor * 240) + ((1 - factor) * grey), 0, 255) - 2, Math.Clamp((factor * 240) + ((1 - factor) * grey), 0, 255) + 2);
    }

    [Fact]
    public async Task Rotation_fills_the_corners_with_black()
    {
        var root = AugmentRunner.TempDirectory();
        var options = Plain(Path.Combine(root, "out"));
        options.RotationDegrees = 45;
        options.CopiesPerRecord = 6;

        var (records, _) = await AugmentRunner.RunAsync(new ImageAugmentStep(options), [DataRecord.CreateImageCaption("a", WriteUniformPng(root, 200), "c")]);

        var rotated = 0;
        foreach (var copy in records.Skip(1))
        {
            var angle = double.Parse(copy.Metadata[AugmentMetadataKeys.Transform].Split(";rotate=")[1].Split(';')[0], CultureInfo.InvariantCulture);
            using var bitmap = SKBitmap.Decode(copy.ImagePath);
            Assert.InRange(angle, -45, 45);
            Assert.Equal(new SKColor(200, 200, 200), bitmap.GetPixel(32, 32));
            if (Math.Abs(angle) > 10)
            {
                rotated++;
                Assert.Equal(SKColors.Black, bitmap.GetPixel(0, 0));
            }
        }

        Assert.True(rotated > 0);
    }

    [Fact]
    public async Task Same_seed_gives_identical_files_whatever_the_order_and_parallelism()
    {
        var root = AugmentRunner.TempDirectory();
        var sources = new[] { WriteAsymmetricPng(root, "a.png", 10), WriteAsymmetricPng(root, "b.png", 90), WriteAsymmetricPng(root, "c.png", 200) };
        DataRecord[] Records() => [DataRecord.CreateImageCaption("a", sources[0], "x"), DataRecord.CreateImageCaption("b", sources[1], "y"), DataRecord.CreateImageCaption("c", sources[2], "z")];
        ImageAugmentStep Step(string name, int parallelism) => new(new ImageAugmentOptions
        {
            OutputDirectory = Path.Combine(root, name),
            Brightness = 0.4,
            Contrast = 0.4,
            Saturation = 0.4,
            RotationDegrees = 20,
            MaxDegreeOfParallelism = parallelism,
        });

        var (first, _) = await AugmentRunner.RunAsync(Step("first", 1), Records(), seed: 9);
        var (reversed, _) = await AugmentRunner.RunAsync(Step("reversed", 3), Records().Reverse(), seed: 9);
        var (otherSeed, _) = await AugmentRunner.RunAsync(Step("other", 1), Records(), seed: 10);

        Assert.Equal(9, first.Count);
        Assert.Equal(first.Select(r => r.Id), reversed.Reverse<DataRecord>().Select(r => r.Id).Chunk(3).SelectMany(c => c.Reverse()));
        foreach (var name in new[] { "a-aug1.png", "a-aug2.png", "b-aug1.png", "c-aug2.png" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(root, "first", name)), File.ReadAllBytes(Path.Combine(root, "reversed", name)));
        }

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(root, "first", "a-aug1.png")), File.ReadAllBytes(Path.Combine(root, "other", "a-aug1.png")));
    }

    [Fact]
    public async Task Unreadable_images_are_rejected_with_the_reason_and_counts_reconcile()
    {
        var root = AugmentRunner.TempDirectory();
        var garbage = Path.Combine(root, "garbage.png");
        File.WriteAllText(garbage, "this is not a png");
        var truncated = Path.Combine(root, "truncated.png");
        var whole = File.ReadAllBytes(WriteAsymmetricPng(root, "whole.png"));
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);
        var missing = Path.Combine(root, "missing.png");
        var step = new ImageAugmentStep(new ImageAugmentOptions { OutputDirectory = Path.Combine(root, "out") });
        DataRecord[] records =
        [
            DataRecord.CreateImageCaption("ok", WriteAsymmetricPng(root), "fine"),
            DataRecord.CreateImageCaption("garbage", garbage, "bad bytes"),
            DataRecord.CreateImageCaption("missing", missing, "no file"),
            DataRecord.CreateImageCaption("truncated", truncated, "cut short"),
            new DataRecord(RecordKind.ImageCaption, "no-path").AddField(FieldNames.Caption, "no image"),
        ];

        var (output, context) = await AugmentRunner.RunAsync(step, records);

        Assert.Equal(["ok", "ok#aug1", "ok#aug2"], output.Select(r => r.Id));
        Assert.Equal(4, context.RejectedCount);
        var reasons = context.Rejects.ToDictionary(r => r.RecordId!, r => r.Reason);
        Assert.Contains("is not an image SkiaSharp can decode", reasons["garbage"], StringComparison.Ordinal);
        Assert.Contains("cannot be decoded: IncompleteInput", reasons["truncated"], StringComparison.Ordinal);
        Assert.Contains(garbage, reasons["garbage"], StringComparison.Ordinal);
        Assert.Contains("cannot be read", reasons["missing"], StringComparison.Ordinal);
        Assert.Contains(missing, reasons["missing"], StringComparison.Ordinal);
        Assert.Contains("no image path", reasons["no-path"], StringComparison.Ordinal);
        Assert.All(context.Rejects, r => Assert.Equal("augment.image", r.Step));
        AugmentRunner.AssertReconciles(records.Length, output, context);
    }

    [Fact]
    public async Task Relative_paths_resolve_against_the_image_root_and_other_kinds_pass_through()
    {
        var root = AugmentRunner.TempDirectory();
        WriteAsymmetricPng(root, "rel.png");
        var step = new ImageAugmentStep(new ImageAugmentOptions { OutputDirectory = Path.Combine(root, "out"), ImageRoot = root, CopiesPerRecord = 1 });

        var (output, context) = await AugmentRunner.RunAsync(step, [DataRecord.CreateImageCaption("r", "rel.png", "c"), DataRecord.CreateText("t", "text")]);

        Assert.Equal(["r", "r#aug1", "t"], output.Select(r => r.Id));
        Assert.Equal(0, context.RejectedCount);
    }

    [Fact]
    public void Invalid_options_throw_listing_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageAugmentStep(new ImageAugmentOptions
        {
            CropScaleMin = 0.9,
            CropScaleMax = 0.5,
            OutputWidth = 10,
            HorizontalFlipProbability = 2,
        }));

        Assert.Contains("OutputDirectory", error.Message, StringComparison.Ordinal);
        Assert.Contains("CropScaleMin is greater", error.Message, StringComparison.Ordinal);
        Assert.Contains("OutputHeight", error.Message, StringComparison.Ordinal);
        Assert.Contains("HorizontalFlipProbability", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_record_the_transform_settings()
    {
        var step = new ImageAugmentStep(new ImageAugmentOptions { OutputDirectory = "out", OutputWidth = 224, OutputHeight = 224 });

        Assert.Equal("augment.image", step.Id);
        Assert.Equal("224x224", step.Parameters["size"]);
        Assert.Equal("0.08,1", step.Parameters["crop-scale"]);
        Assert.Equal("0.5", step.Parameters["flip"]);
        Assert.Equal("pipeline", step.Parameters["seed"]);
    }
}
