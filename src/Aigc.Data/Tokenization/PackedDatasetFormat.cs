using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Aigc.Data;

/// <summary>
/// The <c>.tokens</c> file layout. A 64-byte little-endian header: magic <c>AIGCTOKS</c> (8 bytes), u32 version (1),
/// u32 header size (64), u32 sequence length L, u32 arrays per sequence (4), i64 sequence count, i32 vocabulary size
/// (0 unknown), i32 pad id, i32 ignore index (−100), u32 flags (bit 0: position ids reset per segment), 16 reserved
/// zero bytes. Then each sequence as four int32 little-endian arrays of L values: input ids, labels, position ids,
/// segment ids. Fixed-size records: sequence <c>i</c> starts at byte <c>64 + i × 16 L</c>.
/// </summary>
internal static class PackedDatasetFormat
{
    public const int HeaderSize = 64;
    public const int Version = 1;
    public const int ArraysPerSequence = 4;
    public const uint ResetPositionIdsFlag = 1;

    public static ReadOnlySpan<byte> Magic => "AIGCTOKS"u8;

    public static long SequenceBytes(int sequenceLength) => (long)sequenceLength * ArraysPerSequence * sizeof(int);

    public static void WriteHeader(Span<byte> header, int sequenceLength, long count, int vocabularySize, int padTokenId, bool resetPositionIds)
    {
        header[..HeaderSize].Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)sequenceLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], ArraysPerSequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], count);
        BinaryPrimitives.WriteInt32LittleEndian(header[32..], vocabularySize);
        BinaryPrimitives.WriteInt32LittleEndian(header[36..], padTokenId);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], RecordTokenizer.IgnoreIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(header[44..], resetPositionIds ? ResetPositionIdsFlag : 0);
    }

    public static void WriteInt32s(ReadOnlySpan<int> values, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[(i * sizeof(int))..], values[i]);
        }
    }

    public static void ReadInt32s(ReadOnlySpan<byte> source, Span<int> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            source[..(values.Length * sizeof(int))].CopyTo(MemoryMarshal.AsBytes(values));
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(i * sizeof(int))..]);
        }
    }
}
