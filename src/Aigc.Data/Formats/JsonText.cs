using System.Buffers;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Post-processing of JSON written by <see cref="System.Text.Json.Utf8JsonWriter"/>: the built-in encoders escape every
/// character outside the Basic Multilingual Plane (emoji, rare CJK) as a <c>\uD83D\uDE80</c> surrogate pair even in
/// relaxed mode; this turns such escaped pairs back into their UTF-8 bytes, so files keep the text readable.
/// </summary>
internal static class JsonText
{
    /// <summary>Copies JSON text, writing escaped surrogate pairs as raw UTF-8.</summary>
    /// <param name="json">JSON text as written by <see cref="System.Text.Json.Utf8JsonWriter"/>.</param>
    /// <param name="destination">Receives the text.</param>
    public static void CopyUnescapingSurrogatePairs(ReadOnlySpan<byte> json, IBufferWriter<byte> destination)
    {
        if (json.IndexOf("\\uD"u8) < 0)
        {
            destination.Write(json);
            return;
        }

        var output = destination.GetSpan(json.Length);
        var written = 0;
        var i = 0;
        while (i < json.Length)
        {
            var next = json[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                json[i..].CopyTo(output[written..]);
                written += json.Length - i;
                break;
            }

            json.Slice(i, next).CopyTo(output[written..]);
            written += next;
            i += next;

            // An escape: a surrogate pair becomes UTF-8; any other escape (including "\\") is copied whole.
            if (i + 12 <= json.Length && json[i + 1] == (byte)'u' && json[i + 6] == (byte)'\\' && json[i + 7] == (byte)'u'
                && TryHex(json.Slice(i + 2, 4), out var high) && high is >= 0xD800 and <= 0xDBFF
                && TryHex(json.Slice(i + 8, 4), out var low) && low is >= 0xDC00 and <= 0xDFFF)
            {
                var rune = new Rune(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
                written += rune.EncodeToUtf8(output[written..]);
                i += 12;
                continue;
            }

            var length = i + 1 < json.Length && json[i + 1] == (byte)'u' ? Math.Min(6, json.Length - i) : Math.Min(2, json.Length - i);
            json.Slice(i, length).CopyTo(output[written..]);
            written += length;
            i += length;
        }

        destination.Advance(written);
    }

    /// <summary>Returns JSON text as a string, writing escaped surrogate pairs as the characters they stand for.</summary>
    /// <param name="json">JSON text as written by <see cref="System.Text.Json.Utf8JsonWriter"/>.</param>
    /// <param name="scratch">A scratch buffer.</param>
    /// <returns>The text.</returns>
    public static string ToStringUnescapingSurrogatePairs(ReadOnlySpan<byte> json, ArrayBufferWriter<byte> scratch)
    {
        if (json.IndexOf("\\uD"u8) < 0)
        {
            return Encoding.UTF8.GetString(json);
        }

        scratch.ResetWrittenCount();
        CopyUnescapingSurrogatePairs(json, scratch);
        return Encoding.UTF8.GetString(scratch.WrittenSpan);
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            int nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        return true;
    }
}
