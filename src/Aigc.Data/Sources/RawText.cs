using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Aigc.Data;

/// <summary>Helpers for raw input bytes: UTF-8 validation with a position, and the text kept for a reject.</summary>
internal static class RawText
{
    /// <summary>The most bytes of a rejected line kept in the rejects file.</summary>
    public const int MaxOriginalBytes = 4096;

    /// <summary>Returns the offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The offset, or -1.</returns>
    public static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>
    /// Decodes bytes for a reject: invalid UTF-8 becomes U+FFFD, and input longer than
    /// <see cref="MaxOriginalBytes"/> is cut, noting its full length.
    /// </summary>
    /// <param name="bytes">The raw bytes.</param>
    /// <returns>The text.</returns>
    public static string ForReject(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= MaxOriginalBytes)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var cut = MaxOriginalBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return Encoding.UTF8.GetString(bytes[..cut]) + string.Create(CultureInfo.InvariantCulture, $"… [truncated, {bytes.Length} bytes]");
    }

    /// <summary>Gets whether a line holds only spaces, tabs and carriage returns.</summary>
    /// <param name="line">The line.</param>
    /// <returns>Whether the line is blank.</returns>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;
}
