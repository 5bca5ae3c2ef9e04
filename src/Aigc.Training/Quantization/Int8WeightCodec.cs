using System.Runtime.InteropServices;

namespace Aigc.Training;

/// <summary>
/// Symmetric int8 quantization of a float matrix: scale = max|w| / 127 over a group, code = round-half-even(w / scale)
/// clamped to [-127, 127], zero point 0 (an all-zero group gets scale 1).
/// </summary>
internal static class Int8WeightCodec
{
    /// <summary>Quantizes a row-major [rows, cols] matrix with one scale per column (<paramref name="perColumn"/>) or per row.</summary>
    public static (sbyte[] Codes, float[] Scales) PerChannel(ReadOnlySpan<float> w, int rows, int cols, bool perColumn)
    {
        var channels = perColumn ? cols : rows;
        var max = new float[channels];
        for (var r = 0; r < rows; r++)
        {
            var row = w.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++)
            {
                ref var m = ref max[perColumn ? c : r];
                m = Math.Max(m, Math.Abs(row[c]));
            }
        }

        var scales = max.Select(Scale).ToArray();
        var codes = new sbyte[w.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                codes[(r * cols) + c] = Code(w[(r * cols) + c], scales[perColumn ? c : r]);
            }
        }

        return (codes, scales);
    }

    /// <summary>
    /// Quantizes a row-major [n, k] matrix in blocks of <paramref name="blockSize"/> along k (the last block zero-padded),
    /// as <c>MatMulNBits</c> with 8 bits lays it out: codes uint8 [n, blocks, blockSize] around the zero point 128,
    /// scales [n, blocks].
    /// </summary>
    public static (byte[] Codes, float[] Scales) Blockwise(ReadOnlySpan<float> w, int n, int k, int blockSize)
    {
        var blocks = (k + blockSize - 1) / blockSize;
        var codes = new byte[(long)n * blocks * blockSize];
        Array.Fill(codes, (byte)128);
        var scales = new float[n * blocks];
        for (var row = 0; row < n; row++)
        {
            for (var b = 0; b < blocks; b++)
            {
                var start = b * blockSize;
                var span = w.Slice((row * k) + start, Math.Min(blockSize, k - start));
                var max = 0f;
                foreach (var v in span)
                {
                    max = Math.Max(max, Math.Abs(v));
                }

                var scale = Scale(max);
                scales[(row * blocks) + b] = scale;
                var offset = ((row * blocks) + b) * blockSize;
                for (var i = 0; i < span.Length; i++)
                {
                    codes[offset + i] = (byte)(Code(span[i], scale) + 128);
                }
            }
        }

        return (codes, scales);
    }

    /// <summary>Transposes a row-major [rows, cols] matrix.</summary>
    public static float[] Transpose(ReadOnlySpan<float> w, int rows, int cols)
    {
        var t = new float[w.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                t[(c * rows) + r] = w[(r * cols) + c];
            }
        }

        return t;
    }

    /// <summary>Reinterprets raw little-endian bytes as floats.</summary>
    public static ReadOnlySpan<float> Floats(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, float>(bytes);

    /// <summary>The raw bytes of a span of unmanaged values.</summary>
    public static byte[] Bytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();

    private static float Scale(float max) => max > 0 ? max / 127f : 1f;

    private static sbyte Code(float value, float scale) => (sbyte)Math.Clamp(MathF.Round(value / scale, MidpointRounding.ToEven), -127f, 127f);
}
