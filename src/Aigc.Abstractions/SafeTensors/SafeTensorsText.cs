using System.Globalization;
using System.Text;

namespace Aigc;

/// <summary>Bounded renderings of names, shapes and raw header bytes for error messages.</summary>
internal static class SafeTensorsText
{
    private const int MaxQuoted = 80;
    private const int MaxDims = 8;

    /// <summary>Quotes a name, cutting it at 80 characters so a hostile header cannot make a huge message.</summary>
    /// <param name="value">The name.</param>
    /// <returns>The quoted, possibly shortened name.</returns>
    public static string Quote(string value) =>
        value.Length <= MaxQuoted ? $"'{value}'" : $"'{value.AsSpan(0, MaxQuoted)}…' ({value.Length} characters)";

    /// <summary>Quotes raw header bytes (at most 80 of them) as text.</summary>
    /// <param name="value">The UTF-8 bytes.</param>
    /// <returns>The quoted text.</returns>
    public static string Quote(ReadOnlySpan<byte> value) =>
        value.Length <= MaxQuoted
            ? $"'{Encoding.UTF8.GetString(value)}'"
            : $"'{Encoding.UTF8.GetString(value[..MaxQuoted])}…' ({value.Length} bytes)";

    /// <summary>Renders a shape like <c>[4, 8]</c>, eliding dimensions after the eighth.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The rendering.</returns>
    public static string Shape(ReadOnlySpan<long> shape)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < shape.Length && i < MaxDims; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        if (shape.Length > MaxDims)
        {
            builder.Append(CultureInfo.InvariantCulture, $", … ({shape.Length} dimensions)");
        }

        return builder.Append(']').ToString();
    }

    /// <summary>Renders data offsets like <c>[0, 96]</c>.</summary>
    /// <param name="begin">The first byte.</param>
    /// <param name="end">One past the last byte.</param>
    /// <returns>The rendering.</returns>
    public static string Offsets(long begin, long end) => string.Create(CultureInfo.InvariantCulture, $"[{begin}, {end}]");
}
