namespace Aigc.Inference;

/// <summary>One generated image: PNG bytes and the 8-bit RGB pixels they hold.</summary>
public sealed class GeneratedImage
{
    internal GeneratedImage(int width, int height, int seed, byte[] rgb, byte[] png)
    {
        Width = width;
        Height = height;
        Seed = seed;
        Rgb = rgb;
        Png = png;
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the seed of this image's noise; a request with this seed and one image makes it again.</summary>
    public int Seed { get; }

    /// <summary>Gets the pixels, row by row, three bytes (R, G, B) each.</summary>
    public ReadOnlyMemory<byte> Rgb { get; }

    /// <summary>Gets the PNG file.</summary>
    public ReadOnlyMemory<byte> Png { get; }
}
