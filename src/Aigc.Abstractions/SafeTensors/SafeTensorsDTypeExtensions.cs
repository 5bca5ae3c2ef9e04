using System.Diagnostics.CodeAnalysis;

namespace Aigc;

/// <summary>Element sizes, file names and .NET element types of <see cref="SafeTensorsDType"/>.</summary>
public static class SafeTensorsDTypeExtensions
{
    /// <summary>Gets the size of one element in bytes.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static int GetElementSize(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool or SafeTensorsDType.U8 or SafeTensorsDType.I8
            or SafeTensorsDType.F8E5M2 or SafeTensorsDType.F8E4M3 or SafeTensorsDType.F8E8M0 => 1,
        SafeTensorsDType.I16 or SafeTensorsDType.U16 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I32 or SafeTensorsDType.U32 or SafeTensorsDType.F32 => 4,
        SafeTensorsDType.C64 or SafeTensorsDType.F64 or SafeTensorsDType.I64 or SafeTensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>Gets the name the file format uses for the type, for example <c>F32</c> or <c>F8_E4M3</c>.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>The name as written in the header's <c>dtype</c> field.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static string GetName(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool => "BOOL",
        SafeTensorsDType.U8 => "U8",
        SafeTensorsDType.I8 => "I8",
        SafeTensorsDType.F8E5M2 => "F8_E5M2",
        SafeTensorsDType.F8E4M3 => "F8_E4M3",
        SafeTensorsDType.F8E8M0 => "F8_E8M0",
        SafeTensorsDType.I16 => "I16",
        SafeTensorsDType.U16 => "U16",
        SafeTensorsDType.F16 => "F16",
        SafeTensorsDType.BF16 => "BF16",
        SafeTensorsDType.I32 => "I32",
        SafeTensorsDType.U32 => "U32",
        SafeTensorsDType.F32 => "F32",
        SafeTensorsDType.C64 => "C64",
        SafeTensorsDType.F64 => "F64",
        SafeTensorsDType.I64 => "I64",
        SafeTensorsDType.U64 => "U64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>Parses a header <c>dtype</c> name (case-sensitive, as the format requires).</summary>
    /// <param name="name">The name, for example <c>BF16</c>.</param>
    /// <param name="dtype">The element type when the name is known.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a supported type.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out SafeTensorsDType dtype)
    {
        dtype = default;
        return name is not null && SafeTensorsDTypeNames.TryParse(System.Text.Encoding.UTF8.GetBytes(name), out dtype);
    }

    /// <summary>
    /// Gets the .NET element type that reads and writes the type without conversion: <see cref="float"/> for
    /// <c>F32</c>, <see cref="Half"/> for <c>F16</c>, <see cref="ushort"/> for <c>BF16</c>, <see cref="byte"/> for the
    /// 8-bit floats and <c>C64</c> (raw bytes), <see cref="bool"/> for <c>BOOL</c>, and so on.
    /// </summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>The .NET type.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static Type GetElementType(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool => typeof(bool),
        SafeTensorsDType.U8 or SafeTensorsDType.F8E5M2 or SafeTensorsDType.F8E4M3 or SafeTensorsDType.F8E8M0
            or SafeTensorsDType.C64 => typeof(byte),
        SafeTensorsDType.I8 => typeof(sbyte),
        SafeTensorsDType.I16 => typeof(short),
        SafeTensorsDType.U16 or SafeTensorsDType.BF16 => typeof(ushort),
        SafeTensorsDType.F16 => typeof(Half),
        SafeTensorsDType.I32 => typeof(int),
        SafeTensorsDType.U32 => typeof(uint),
        SafeTensorsDType.F32 => typeof(float),
        SafeTensorsDType.F64 => typeof(double),
        SafeTensorsDType.I64 => typeof(long),
        SafeTensorsDType.U64 => typeof(ulong),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };
}
