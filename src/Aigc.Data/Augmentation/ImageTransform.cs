using System.Globalization;
using SkiaSharp;

namespace Aigc.Data;

/// <summary>One sampled image augmentation: the crop, flip, rotation and colour factors of one copy.</summary>
internal readonly record struct ImageTransform(SKRectI Crop, bool Flip, double Angle, double Brightness, double Contrast, double Saturation)
{
    /// <summary>Samples a crop box like torchvision's <c>RandomResizedCrop.get_params</c>.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="width">The image width.</param>
    /// <param name="height">The image height.</param>
    /// <param name="scaleMin">The smallest area share.</param>
    /// <param name="scaleMax">The largest area share.</param>
    /// <param name="ratioMin">The smallest aspect ratio.</param>
    /// <param name="ratioMax">The largest aspect ratio.</param>
    /// <returns>The crop box.</returns>
    public static SKRectI SampleCrop(AugmentRandom random, int width, int height, double scaleMin, double scaleMax, double ratioMin, double ratioMax)
    {
        double area = width * height;
        var logMin = Math.Log(ratioMin);
        var logMax = Math.Log(ratioMax);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * random.NextDouble(scaleMin, scaleMax);
            var ratio = Math.Exp(random.NextDouble(logMin, logMax));
            var w = (int)Math.Round(Math.Sqrt(target * ratio));
            var h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = random.NextInclusive(0, height - h);
                var left = random.NextInclusive(0, width - w);
                return SKRectI.Create(left, top, w, h);
            }
        }

        // Fallback: the central crop with the ratio clamped to the range.
        var inRatio = (double)width / height;
        int cw;
        int ch;
        if (inRatio < ratioMin)
        {
            cw = width;
            ch = (int)Math.Round(cw / ratioMin);
        }
        else if (inRatio > ratioMax)
        {
            ch = height;
            cw = (int)Math.Round(ch * ratioMax);
        }
        else
        {
            cw = width;
            ch = height;
        }

        return SKRectI.Create((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    /// <summary>Describes the transform for the copy's metadata.</summary>
    /// <returns>For example <c>crop=3,4,50,40;flip=true;rotate=-7.25;brightness=1.1;contrast=1;saturation=1</c>.</returns>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"crop={Crop.Left},{Crop.Top},{Crop.Width},{Crop.Height};flip={(Flip ? "true" : "false")};rotate={Angle:0.###};brightness={Brightness:0.###};contrast={Contrast:0.###};saturation={Saturation:0.###}");
}
