using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SkiaSharp;

namespace Aigc.Data;

/// <summary>
/// Image augmentation for <see cref="RecordKind.ImageCaption"/> records (step id <c>augment.image</c>), with SkiaSharp:
/// random resized crop, horizontal flip, rotation and colour jitter, as torchvision's transforms do. Keeps every
/// readable record and adds copies that point to new PNG files.
/// </summary>
/// <remarks>
/// <para>
/// Each copy samples, in order, a crop box (torchvision's <c>RandomResizedCrop</c>: area share in
/// [<see cref="ImageAugmentOptions.CropScaleMin"/>, <see cref="ImageAugmentOptions.CropScaleMax"/>], log-uniform aspect
/// ratio, ten attempts then a central crop), a flip, a rotation angle and the colour factors; the crop is resized to the
/// output size (bilinear), mirrored, rotated about the centre (corners filled with black, or transparent for images with
/// alpha), then jittered. The generator is seeded from (seed, step id, record id), so a copy depends only on them.
/// </para>
/// <para>
/// Copies are written as <c>&lt;id&gt;-aug&lt;k&gt;.png</c> (characters other than letters, digits, <c>-</c>, <c>_</c> and
/// <c>.</c> in the id become <c>_</c>) to <see cref="ImageAugmentOptions.OutputDirectory"/>; each new record has that
/// <see cref="DataRecord.ImagePath"/>, the same caption and labels, the id <c>&lt;id&gt;#aug&lt;k&gt;</c> (numbered on from earlier augmentation steps, see <see cref="AugmentMetadataKeys.LastCopy"/>),
/// <see cref="AugmentMetadataKeys.Source"/>, <see cref="AugmentMetadataKeys.Method"/> = <c>image</c> and
/// <see cref="AugmentMetadataKeys.Transform"/>. A record without an image path or whose image cannot be read or decoded
/// is rejected with the reason; records of other kinds pass through unchanged. A failure to write an output file throws.
/// </para>
/// </remarks>
public sealed class ImageAugmentStep : IDataStep
{
    private const string Method = "image";
    private const string CopiesCounter = "augment.image.copies";

    private readonly string _outputDirectory;
    private readonly string? _imageRoot;
    private readonly int _copies;
    private readonly int? _width;
    private readonly int? _height;
    private readonly bool _crop;
    private readonly double _scaleMin;
    private readonly double _scaleMax;
    private readonly double _ratioMin;
    private readonly double _ratioMax;
    private readonly double _flip;
    private readonly double _brightness;
    private readonly double _contrast;
    private readonly double _saturation;
    private readonly double _rotation;
    private readonly int? _seed;
    private readonly int _parallelism;

    /// <summary>Initializes an image augmentation step.</summary>
    /// <param name="options">The settings; <see cref="ImageAugmentOptions.OutputDirectory"/> is required.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every problem).</exception>
    public ImageAugmentStep(ImageAugmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.OutputDirectory))
        {
            errors.Add("OutputDirectory is required.");
        }

        if (options.ImageRoot is not null && string.IsNullOrWhiteSpace(options.ImageRoot))
        {
            errors.Add("ImageRoot is empty; use null for the current folder.");
        }

        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.CopiesPerRecord), options.CopiesPerRecord, 1, 1000);
        if (options.OutputWidth.HasValue != options.OutputHeight.HasValue)
        {
            errors.Add("Set both OutputWidth and OutputHeight, or neither.");
        }
        else if (options.OutputWidth is { } w && options.OutputHeight is { } h)
        {
            AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.OutputWidth), w, 1, 16384);
            AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.OutputHeight), h, 1, 16384);
        }

        AugmentSupport.CheckPositive(errors, nameof(ImageAugmentOptions.CropScaleMin), options.CropScaleMin, 1);
        AugmentSupport.CheckPositive(errors, nameof(ImageAugmentOptions.CropScaleMax), options.CropScaleMax, 1);
        if (options.CropScaleMin > options.CropScaleMax)
        {
            errors.Add("CropScaleMin is greater than CropScaleMax.");
        }

        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.CropRatioMin), options.CropRatioMin, 0.01, 100);
        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.CropRatioMax), options.CropRatioMax, 0.01, 100);
        if (options.CropRatioMin > options.CropRatioMax)
        {
            errors.Add("CropRatioMin is greater than CropRatioMax.");
        }

        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.HorizontalFlipProbability), options.HorizontalFlipProbability, 0, 1);
        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.Brightness), options.Brightness, 0, 10);
        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.Contrast), options.Contrast, 0, 10);
        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.Saturation), options.Saturation, 0, 10);
        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.RotationDegrees), options.RotationDegrees, 0, 180);
        AugmentSupport.CheckRange(errors, nameof(ImageAugmentOptions.MaxDegreeOfParallelism), options.MaxDegreeOfParallelism, 1, 256);
        AugmentSupport.ThrowIfAny(errors, nameof(ImageAugmentOptions), nameof(options));

        _outputDirectory = options.OutputDirectory;
        _imageRoot = options.ImageRoot;
        _copies = options.CopiesPerRecord;
        _width = options.OutputWidth;
        _height = options.OutputHeight;
        _crop = options.RandomResizedCrop;
        _scaleMin = options.CropScaleMin;
        _scaleMax = options.CropScaleMax;
        _ratioMin = options.CropRatioMin;
        _ratioMax = options.CropRatioMax;
        _flip = options.HorizontalFlipProbability;
        _brightness = options.Brightness;
        _contrast = options.Contrast;
        _saturation = options.Saturation;
        _rotation = options.RotationDegrees;
        _seed = options.Seed;
        _parallelism = options.MaxDegreeOfParallelism;
        var parameters = new StepParameters()
            .Add("output-directory", _outputDirectory)
            .Add("image-root", _imageRoot ?? string.Empty)
            .Add("copies", _copies)
            .Add("size", _width is { } ow ? string.Create(CultureInfo.InvariantCulture, $"{ow}x{_height}") : "source")
            .Add("crop", _crop)
            .Add("flip", _flip)
            .Add("brightness", _brightness)
            .Add("contrast", _contrast)
            .Add("saturation", _saturation)
            .Add("rotation", _rotation)
            .Add("seed", AugmentSupport.SeedParameter(_seed));
        if (_crop)
        {
            parameters.Add("crop-scale", new[] { Format(_scaleMin), Format(_scaleMax) }).Add("crop-ratio", new[] { Format(_ratioMin), Format(_ratioMax) });
        }

        Parameters = parameters;
    }

    /// <inheritdoc />
    /// <value><c>augment.image</c>.</value>
    public string Id => "augment.image";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    /// <remarks>
    /// Keys: <c>output-directory</c>, <c>image-root</c>, <c>copies</c>, <c>size</c> (<c>WxH</c> or <c>source</c>),
    /// <c>crop</c>, <c>crop-scale</c> and <c>crop-ratio</c> (when cropping), <c>flip</c>, <c>brightness</c>,
    /// <c>contrast</c>, <c>saturation</c>, <c>rotation</c> and <c>seed</c>. The input images are identified by their
    /// paths in the records, not by their content.
    /// </remarks>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataRecord> ExecuteAsync(
        IAsyncEnumerable<DataRecord> records,
        DataStepContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        var seed = _seed ?? context.Seed;
        Directory.CreateDirectory(_outputDirectory);
        Func<DataRecord, CancellationToken, Task<Outcome>> process = _parallelism == 1
            ? (record, token) => AugmentAsync(record, seed, token)
            : (record, token) => Task.Run(() => AugmentAsync(record, seed, token), token);
        await foreach (var outcome in OrderedConcurrency.SelectAsync(records, process, _parallelism, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.RejectReason is not null)
            {
                context.Reject(outcome.Record, outcome.RejectReason);
                continue;
            }

            if (outcome.Copies.Count > 0)
            {
                context.MarkAdded(outcome.Copies.Count);
                context.Increment(CopiesCounter, outcome.Copies.Count);
            }

            yield return outcome.Record;
            foreach (var copy in outcome.Copies)
            {
                yield return copy;
            }
        }
    }

    private async Task<Outcome> AugmentAsync(DataRecord record, int seed, CancellationToken cancellationToken)
    {
        if (record.Kind != RecordKind.ImageCaption)
        {
            return new Outcome(record, [], null);
        }

        if (string.IsNullOrWhiteSpace(record.ImagePath))
        {
            return new Outcome(record, [], "the record has no image path");
        }

        var path = _imageRoot is null ? record.ImagePath : Path.Combine(_imageRoot, record.ImagePath);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Outcome(record, [], $"image '{path}' cannot be read: {e.Message}");
        }

        using var decoded = Decode(bytes, out var problem);
        if (decoded is null)
        {
            return new Outcome(record, [], $"image '{path}' {problem}");
        }

        using var image = SKImage.FromBitmap(decoded);
        var width = _width ?? decoded.Width;
        var height = _height ?? decoded.Height;
        var fill = decoded.AlphaType == SKAlphaType.Opaque ? SKColors.Black : SKColors.Transparent;
        var random = AugmentRandom.ForRecord(seed, Id, record.Id);
        var copies = new List<DataRecord>(_copies);
        var baseName = SafeFileName(record.Id);
        var number = AugmentSupport.FirstCopyNumber(record);
        for (var k = 1; k <= _copies; k++)
        {
            var transform = Sample(random, decoded.Width, decoded.Height);
            byte[] png;
            using (var output = Render(image, transform, width, height, fill))
            using (var data = output.Encode(SKEncodedImageFormat.Png, 100))
            {
                png = data.ToArray();
            }

            var outputPath = Path.Combine(_outputDirectory, string.Create(CultureInfo.InvariantCulture, $"{baseName}-aug{number + k - 1}.png"));
            await File.WriteAllBytesAsync(outputPath, png, cancellationToken).ConfigureAwait(false);
            var copy = AugmentSupport.CreateCopy(record, number + k - 1, Method);
            copy.ImagePath = outputPath;
            copy.Metadata[AugmentMetadataKeys.Transform] = transform.Describe();
            copies.Add(copy);
        }

        AugmentSupport.ReserveCopyNumbers(record, number + _copies - 1);
        return new Outcome(record, copies, null);
    }

    /// <summary>Decodes an image to RGBA8888 premultiplied, or explains why it cannot be decoded.</summary>
    private static SKBitmap? Decode(byte[] bytes, out string problem)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            problem = "is not an image SkiaSharp can decode (PNG, JPEG, GIF, BMP, WebP, ICO, WBMP)";
            return null;
        }

        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var bitmap = new SKBitmap(codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(alpha));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            problem = $"cannot be decoded: {result}";
            return null;
        }

        problem = string.Empty;
        return bitmap;
    }

    private ImageTransform Sample(AugmentRandom random, int width, int height)
    {
        var crop = _crop
            ? ImageTransform.SampleCrop(random, width, height, _scaleMin, _scaleMax, _ratioMin, _ratioMax)
            : SKRectI.Create(0, 0, width, height);
        var flip = _flip > 0 && random.NextDouble() < _flip;
        var angle = _rotation > 0 ? random.NextDouble(-_rotation, _rotation) : 0;
        var brightness = Factor(random, _brightness);
        var contrast = Factor(random, _contrast);
        var saturation = Factor(random, _saturation);
        return new ImageTransform(crop, flip, angle, brightness, contrast, saturation);
    }

    private static double Factor(AugmentRandom random, double jitter) =>
        jitter > 0 ? random.NextDouble(Math.Max(0, 1 - jitter), 1 + jitter) : 1;

    private static SKBitmap Render(SKImage image, ImageTransform transform, int width, int height, SKColor fill)
    {
        var output = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(output))
        {
            canvas.Clear(fill);
            float cx = width / 2f;
            float cy = height / 2f;
            canvas.Translate(cx, cy);

            // torchvision rotates counter-clockwise for positive angles; Skia's y axis points down.
            canvas.RotateDegrees((float)-transform.Angle);
            if (transform.Flip)
            {
                canvas.Scale(-1, 1);
            }

            canvas.Translate(-cx, -cy);
            canvas.DrawImage(image, (SKRect)transform.Crop, SKRect.Create(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        }

        ImageColorJitter.Apply(output, transform.Brightness, transform.Contrast, transform.Saturation);
        return output;
    }

    private static string SafeFileName(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 || builder[0] == '.' ? "_" + builder : builder.ToString();
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed record Outcome(DataRecord Record, List<DataRecord> Copies, string? RejectReason);
}
