using SkiaSharp;

namespace Aigc.Data;

/// <summary>
/// Brightness, contrast and saturation jitter on an RGBA8888 premultiplied bitmap, with torchvision's formulas
/// (applied in that order): brightness scales the colour, contrast blends with the mean grey of the image,
/// saturation blends with each pixel's grey (grey = 0.2989 R + 0.587 G + 0.114 B); values are clamped after each.
/// Transparent pixels are skipped; alpha is never changed.
/// </summary>
internal static class ImageColorJitter
{
    /// <summary>Applies the jitter in place.</summary>
    /// <param name="bitmap">An RGBA8888 premultiplied bitmap.</param>
    /// <param name="brightness">The brightness factor (1 = unchanged).</param>
    /// <param name="contrast">The contrast factor (1 = unchanged).</param>
    /// <param name="saturation">The saturation factor (1 = unchanged).</param>
    public static void Apply(SKBitmap bitmap, double brightness, double contrast, double saturation)
    {
        if (brightness == 1 && contrast == 1 && saturation == 1)
        {
            return;
        }

        var pixels = bitmap.GetPixelSpan();
        var count = pixels.Length / 4;
        var colors = new float[count * 3];
        double greySum = 0;
        var visible = 0;
        for (var p = 0; p < count; p++)
        {
            var a = pixels[(p * 4) + 3];
            if (a == 0)
            {
                continue;
            }

            for (var c = 0; c < 3; c++)
            {
                var value = pixels[(p * 4) + c] * 255f / a;
                colors[(p * 3) + c] = Math.Clamp(value * (float)brightness, 0f, 255f);
            }

            greySum += Grey(colors, p);
            visible++;
        }

        if (contrast != 1 && visible > 0)
        {
            var mean = (float)(greySum / visible);
            var factor = (float)contrast;
            for (var p = 0; p < count; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var i = (p * 3) + c;
                    colors[i] = Math.Clamp((factor * colors[i]) + ((1 - factor) * mean), 0f, 255f);
                }
            }
        }

        if (saturation != 1)
        {
            var factor = (float)saturation;
            for (var p = 0; p < count; p++)
            {
                var grey = Grey(colors, p);
                for (var c = 0; c < 3; c++)
                {
                    var i = (p * 3) + c;
                    colors[i] = Math.Clamp((factor * colors[i]) + ((1 - factor) * grey), 0f, 255f);
                }
            }
        }

        for (var p = 0; p < count; p++)
        {
            var a = pixels[(p * 4) + 3];
            if (a == 0)
            {
                continue;
            }

            for (var c = 0; c < 3; c++)
            {
                pixels[(p * 4) + c] = (byte)MathF.Round(colors[(p * 3) + c] * a / 255f);
            }
        }
    }

    private static float Grey(float[] colors, int p) =>
        (0.2989f * colors[p * 3]) + (0.587f * colors[(p * 3) + 1]) + (0.114f * colors[(p * 3) + 2]);
}
