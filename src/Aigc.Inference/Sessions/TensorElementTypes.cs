using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Aigc.Inference;

/// <summary>The element types Aigc batches, their sizes, and typed allocation and filling by element type.</summary>
internal static class TensorElementTypes
{
    public static TensorElementType Of<T>()
        where T : unmanaged
        => Cache<T>.Type ?? throw new NotSupportedException(
            $"Tensors of {typeof(T).Name} are not supported; use float, double, long, int, short, sbyte, ulong, uint, ushort, byte, bool, Float16 or BFloat16.");

    public static bool IsSupported(TensorElementType type) => SizeOf(type) > 0;

    /// <summary>Returns the size of one element in bytes, or 0 for types the batcher does not handle (strings).</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Double or TensorElementType.Int64 or TensorElementType.UInt64 => 8,
        TensorElementType.Int16 or TensorElementType.UInt16 or TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Int8 or TensorElementType.UInt8 or TensorElementType.Bool => 1,
        _ => 0,
    };

    /// <summary>Allocates a zeroed tensor of the given element type and shape.</summary>
    public static InferenceTensor Allocate(TensorElementType type, long[] shape, int elementCount) => type switch
    {
        TensorElementType.Float => new InferenceTensor<float>(new float[elementCount], shape),
        TensorElementType.Double => new InferenceTensor<double>(new double[elementCount], shape),
        TensorElementType.Int64 => new InferenceTensor<long>(new long[elementCount], shape),
        TensorElementType.Int32 => new InferenceTensor<int>(new int[elementCount], shape),
        TensorElementType.Int16 => new InferenceTensor<short>(new short[elementCount], shape),
        TensorElementType.Int8 => new InferenceTensor<sbyte>(new sbyte[elementCount], shape),
        TensorElementType.UInt64 => new InferenceTensor<ulong>(new ulong[elementCount], shape),
        TensorElementType.UInt32 => new InferenceTensor<uint>(new uint[elementCount], shape),
        TensorElementType.UInt16 => new InferenceTensor<ushort>(new ushort[elementCount], shape),
        TensorElementType.UInt8 => new InferenceTensor<byte>(new byte[elementCount], shape),
        TensorElementType.Bool => new InferenceTensor<bool>(new bool[elementCount], shape),
        TensorElementType.Float16 => new InferenceTensor<Float16>(new Float16[elementCount], shape),
        TensorElementType.BFloat16 => new InferenceTensor<BFloat16>(new BFloat16[elementCount], shape),
        _ => throw new NotSupportedException($"Tensors of {type} are not supported by Aigc.Inference."),
    };

    /// <summary>Writes one element holding <paramref name="value"/> converted to <paramref name="type"/>.</summary>
    public static void Encode(TensorElementType type, double value, Span<byte> destination)
    {
        switch (type)
        {
            case TensorElementType.Float: MemoryMarshal.Write(destination, (float)value); break;
            case TensorElementType.Double: MemoryMarshal.Write(destination, value); break;
            case TensorElementType.Int64: MemoryMarshal.Write(destination, checked((long)value)); break;
            case TensorElementType.Int32: MemoryMarshal.Write(destination, checked((int)value)); break;
            case TensorElementType.Int16: MemoryMarshal.Write(destination, checked((short)value)); break;
            case TensorElementType.Int8: MemoryMarshal.Write(destination, checked((sbyte)value)); break;
            case TensorElementType.UInt64: MemoryMarshal.Write(destination, checked((ulong)value)); break;
            case TensorElementType.UInt32: MemoryMarshal.Write(destination, checked((uint)value)); break;
            case TensorElementType.UInt16: MemoryMarshal.Write(destination, checked((ushort)value)); break;
            case TensorElementType.UInt8: MemoryMarshal.Write(destination, checked((byte)value)); break;
            case TensorElementType.Bool: destination[0] = value != 0 ? (byte)1 : (byte)0; break;
            case TensorElementType.Float16: MemoryMarshal.Write(destination, (Float16)(float)value); break;
            case TensorElementType.BFloat16: MemoryMarshal.Write(destination, (BFloat16)(float)value); break;
            default: throw new NotSupportedException($"Tensors of {type} are not supported by Aigc.Inference.");
        }
    }

    /// <summary>Fills <paramref name="destination"/> with copies of the element in <paramref name="element"/>.</summary>
    public static void Fill(Span<byte> destination, ReadOnlySpan<byte> element)
    {
        switch (element.Length)
        {
            case 1: destination.Fill(element[0]); break;
            case 2: MemoryMarshal.Cast<byte, ushort>(destination).Fill(MemoryMarshal.Read<ushort>(element)); break;
            case 4: MemoryMarshal.Cast<byte, uint>(destination).Fill(MemoryMarshal.Read<uint>(element)); break;
            case 8: MemoryMarshal.Cast<byte, ulong>(destination).Fill(MemoryMarshal.Read<ulong>(element)); break;
            default: throw new ArgumentException("Element sizes are 1, 2, 4 or 8 bytes.", nameof(element));
        }
    }

    private static class Cache<T>
    {
        public static readonly TensorElementType? Type = Resolve();

        private static TensorElementType? Resolve()
        {
            var t = typeof(T);
            if (t == typeof(float)) return TensorElementType.Float;
            if (t == typeof(double)) return TensorElementType.Double;
            if (t == typeof(long)) return TensorElementType.Int64;
            if (t == typeof(int)) return TensorElementType.Int32;
            if (t == typeof(short)) return TensorElementType.Int16;
            if (t == typeof(sbyte)) return TensorElementType.Int8;
            if (t == typeof(ulong)) return TensorElementType.UInt64;
            if (t == typeof(uint)) return TensorElementType.UInt32;
            if (t == typeof(ushort)) return TensorElementType.UInt16;
            if (t == typeof(byte)) return TensorElementType.UInt8;
            if (t == typeof(bool)) return TensorElementType.Bool;
            if (t == typeof(Float16)) return TensorElementType.Float16;
            if (t == typeof(BFloat16)) return TensorElementType.BFloat16;
            return null;
        }
    }
}
