using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Aigc;

/// <summary>
/// Writes a safetensors header the way the reference implementation does (serde_json, compact): the size field,
/// <c>__metadata__</c> first when there is any, then the tensors in data order, each as
/// <c>{"dtype":…,"shape":[…],"data_offsets":[begin,end]}</c>; strings escape only <c>"</c>, <c>\</c> and control
/// characters; spaces pad the JSON to a multiple of 8 bytes so the data starts 8-byte aligned.
/// </summary>
internal static class SafeTensorsHeaderWriter
{
    private static readonly byte[] s_hex = "0123456789abcdef"u8.ToArray();

    /// <summary>Builds the size field and the padded JSON header.</summary>
    /// <param name="tensors">The tensors in the order their bytes will be written.</param>
    /// <param name="metadata">The metadata entries in the order to write them, or empty for none.</param>
    /// <returns>The bytes that precede the data buffer.</returns>
    /// <exception cref="InvalidOperationException">The header would exceed the format's 100,000,000-byte limit.</exception>
    public static byte[] Build(IReadOnlyList<SafeTensorsWriterEntry> tensors, IReadOnlyList<KeyValuePair<byte[], byte[]>> metadata)
    {
        var json = new ArrayBufferWriter<byte>(256 + (tensors.Count * 96));
        json.Write("{"u8);
        var first = true;
        if (metadata.Count > 0)
        {
            WriteString(json, "__metadata__"u8);
            json.Write(":{"u8);
            for (var i = 0; i < metadata.Count; i++)
            {
                if (i > 0)
                {
                    json.Write(","u8);
                }

                WriteString(json, metadata[i].Key);
                json.Write(":"u8);
                WriteString(json, metadata[i].Value);
            }

            json.Write("}"u8);
            first = false;
        }

        long offset = 0;
        foreach (var tensor in tensors)
        {
            if (!first)
            {
                json.Write(","u8);
            }

            first = false;
            WriteString(json, tensor.NameUtf8);
            json.Write(":{\"dtype\":"u8);
            WriteString(json, Encoding.ASCII.GetBytes(tensor.DType.GetName()));
            json.Write(",\"shape\":["u8);
            for (var i = 0; i < tensor.Shape.Length; i++)
            {
                if (i > 0)
                {
                    json.Write(","u8);
                }

                WriteInteger(json, tensor.Shape[i]);
            }

            json.Write("],\"data_offsets\":["u8);
            WriteInteger(json, offset);
            json.Write(","u8);
            offset += tensor.ByteLength;
            WriteInteger(json, offset);
            json.Write("]}"u8);
        }

        json.Write("}"u8);

        var padded = (json.WrittenCount + 7) & ~7;
        if (padded > SafeTensorsHeader.MaxHeaderLength)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The safetensors header would be {padded} bytes, more than the format's limit of {SafeTensorsHeader.MaxHeaderLength}; split the tensors over several files."));
        }

        var result = new byte[SafeTensorsHeader.SizeFieldLength + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.WrittenSpan.CopyTo(result.AsSpan(SafeTensorsHeader.SizeFieldLength));
        result.AsSpan(SafeTensorsHeader.SizeFieldLength + json.WrittenCount).Fill((byte)' ');
        return result;
    }

    private static void WriteInteger(ArrayBufferWriter<byte> json, long value)
    {
        var span = json.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        json.Advance(written);
    }

    private static void WriteString(ArrayBufferWriter<byte> json, ReadOnlySpan<byte> utf8)
    {
        json.Write("\""u8);
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
            {
                continue;
            }

            json.Write(utf8[start..i]);
            start = i + 1;
            switch (b)
            {
                case (byte)'"': json.Write("\\\""u8); break;
                case (byte)'\\': json.Write("\\\\"u8); break;
                case (byte)'\b': json.Write("\\b"u8); break;
                case (byte)'\t': json.Write("\\t"u8); break;
                case (byte)'\n': json.Write("\\n"u8); break;
                case (byte)'\f': json.Write("\\f"u8); break;
                case (byte)'\r': json.Write("\\r"u8); break;
                default:
                    json.Write("\\u00"u8);
                    json.Write([s_hex[b >> 4], s_hex[b & 0xF]]);
                    break;
            }
        }

        json.Write(utf8[start..]);
        json.Write("\""u8);
    }
}
