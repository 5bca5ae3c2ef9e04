using System.Buffers.Binary;
using System.Text;

namespace Aigc.Abstractions.Tests.SafeTensors;

/// <summary>Builds safetensors files byte by byte from the format's rules, for tests.</summary>
internal static class SafeTensorsTestFiles
{
    /// <summary>Builds a file: the 8-byte little-endian size, the JSON (space-padded to a multiple of 8 when asked), the data.</summary>
    public static byte[] Build(string json, ReadOnlySpan<byte> data, bool pad = true)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var length = pad ? (header.Length + 7) / 8 * 8 : header.Length;
        var file = new byte[8 + length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)length);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, length - header.Length).Fill((byte)' ');
        data.CopyTo(file.AsSpan(8 + length));
        return file;
    }

    /// <summary>Builds a file whose data buffer is <paramref name="dataLength"/> bytes of a known pattern.</summary>
    public static byte[] Build(string json, int dataLength, bool pad = true) => Build(json, Pattern(dataLength), pad);

    /// <summary>Builds a file from raw header bytes (no padding added).</summary>
    public static byte[] BuildRaw(ReadOnlySpan<byte> header, int dataLength)
    {
        var file = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file.AsSpan(8));
        Pattern(dataLength).CopyTo(file.AsSpan(8 + header.Length));
        return file;
    }

    /// <summary>Bytes 0, 7, 14, … (mod 256).</summary>
    public static byte[] Pattern(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 7);
        }

        return data;
    }

    /// <summary>Opens the bytes as a stream.</summary>
    public static SafeTensorsReader Open(byte[] file) => SafeTensorsReader.Open(new MemoryStream(file, writable: false));

    /// <summary>Asserts that opening the bytes fails with <see cref="SafeTensorsFormatException"/> and returns it.</summary>
    public static SafeTensorsFormatException Reject(byte[] file) =>
        Assert.Throws<SafeTensorsFormatException>(() => Open(file).Dispose());

    /// <summary>Writes the writer's file to memory.</summary>
    public static byte[] Write(SafeTensorsWriter writer)
    {
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>Gets the JSON header text of a file, padding included.</summary>
    public static string HeaderText(byte[] file)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return Encoding.UTF8.GetString(file, 8, length);
    }
}
