namespace Aigc.Inference;

/// <summary>Conversions between 8-bit RGB pixels (row by row) and the VAE's planar <c>[3, H, W]</c> values in [−1, 1].</summary>
internal static class Pixels
{
    /// <summary>p / 127.5 − 1, planar (diffusers' <c>2 · (p / 255) − 1</c>).</summary>
    public static float[] ToModel(ReadOnlySpan<byte> rgb, int width, int height)
    {
        var plane = width * height;
        var values = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                values[(c * plane) + i] = (rgb[(i * 3) + c] / 127.5f) - 1f;
            }
        }

        return values;
    }

    /// <summary>round(clamp(x / 2 + 0.5, 0, 1) · 255), interleaved (diffusers' postprocessing).</summary>
    public static byte[] FromModel(ReadOnlySpan<float> values, int width, int height)
    {
        var plane = width * height;
        var rgb = new byte[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var unit = Math.Clamp((values[(c * plane) + i] / 2f) + 0.5f, 0f, 1f);
                rgb[(i * 3) + c] = (byte)Math.Round(unit * 255f, MidpointRounding.ToEven);
            }
        }

        return rgb;
    }
}
