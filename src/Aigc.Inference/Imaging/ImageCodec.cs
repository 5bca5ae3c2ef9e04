using SkiaSharp;

namespace Aigc.Inference;

/// <summary>Image files to and from 8-bit RGB pixels (row by row, R G B), through SkiaSharp.</summary>
internal static class ImageCodec
{
    /// <summary>Encodes RGB pixels as a PNG file.</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> rgb, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = bitmap.GetPixelSpan();
        var source = 0;
        for (var target = 0; target < rgba.Length; target += 4)
        {
            rgba[target] = rgb[source++];
            rgba[target + 1] = rgb[source++];
            rgba[target + 2] = rgb[source++];
            rgba[target + 3] = 255;
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Reads an image file's size.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can decode.</exception>
    public static (int Width, int Height) Size(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("The image could not be decoded (not a PNG, JPEG, WebP, GIF or BMP file).");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes an image file and resizes it (bilinear) to <paramref name="width"/> × <paramref name="height"/> RGB pixels; transparent pixels are composed over black.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can decode.</exception>
    public static byte[] DecodeRgb(ReadOnlySpan<byte> encoded, int width, int height)
    {
        using var decoded = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("The image could not be decoded (not a PNG, JPEG, WebP, GIF or BMP file).");
        using var image = SKImage.FromBitmap(decoded);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            canvas.DrawImage(image, SKRect.Create(0, 0, decoded.Width, decoded.Height), SKRect.Create(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        var rgba = target.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        var index = 0;
        for (var source = 0; source < rgba.Length; source += 4)
        {
            rgb[index++] = rgba[source];
            rgb[index++] = rgba[source + 1];
            rgb[index++] = rgba[source + 2];
        }

        return rgb;
    }
}
