using System.Runtime.CompilerServices;

namespace Aigc;

/// <summary>Which .NET element types read and write which dtypes.</summary>
internal static class SafeTensorsElementTypes
{
    /// <summary>Gets the dtype a .NET element type writes when none is given.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="paramName">The parameter to blame.</param>
    /// <returns>The dtype.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no dtype.</exception>
    public static SafeTensorsDType InferDType<T>(string paramName)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) { return SafeTensorsDType.F32; }
        if (typeof(T) == typeof(Half)) { return SafeTensorsDType.F16; }
        if (typeof(T) == typeof(double)) { return SafeTensorsDType.F64; }
        if (typeof(T) == typeof(int)) { return SafeTensorsDType.I32; }
        if (typeof(T) == typeof(long)) { return SafeTensorsDType.I64; }
        if (typeof(T) == typeof(short)) { return SafeTensorsDType.I16; }
        if (typeof(T) == typeof(sbyte)) { return SafeTensorsDType.I8; }
        if (typeof(T) == typeof(byte)) { return SafeTensorsDType.U8; }
        if (typeof(T) == typeof(ushort)) { return SafeTensorsDType.U16; }
        if (typeof(T) == typeof(uint)) { return SafeTensorsDType.U32; }
        if (typeof(T) == typeof(ulong)) { return SafeTensorsDType.U64; }
        if (typeof(T) == typeof(bool)) { return SafeTensorsDType.Bool; }
        throw new ArgumentException(
            $"{typeof(T).Name} has no safetensors dtype; use float, Half, double, sbyte, short, int, long, byte, ushort, uint, ulong or bool, or pass the dtype and the raw little-endian bytes.",
            paramName);
    }

    /// <summary>
    /// Tells whether <typeparamref name="T"/> reads or writes <paramref name="dtype"/> without conversion: its .NET
    /// element type; <see cref="byte"/> for the raw little-endian bytes of any dtype; and <see cref="short"/> as well as
    /// <see cref="ushort"/> for the bit patterns of <c>BF16</c>, which has no .NET type.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="dtype">The dtype.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool Matches<T>(SafeTensorsDType dtype)
        where T : unmanaged =>
        typeof(T) == typeof(byte)
        || typeof(T) == dtype.GetElementType()
        || (dtype == SafeTensorsDType.BF16 && typeof(T) == typeof(short));

    /// <summary>Throws when multi-byte typed access would misread little-endian data on this machine.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian and <typeparamref name="T"/> is wider than a byte.</exception>
    public static void EnsureEndianness<T>()
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian && Unsafe.SizeOf<T>() > 1)
        {
            throw new PlatformNotSupportedException(
                "safetensors stores little-endian values and this machine is big-endian; read and write raw bytes and swap them yourself.");
        }
    }
}
