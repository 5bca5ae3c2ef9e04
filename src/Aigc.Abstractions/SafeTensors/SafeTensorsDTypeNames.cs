namespace Aigc;

/// <summary>Parses the header's <c>dtype</c> names without allocating.</summary>
internal static class SafeTensorsDTypeNames
{
    /// <summary>Parses a UTF-8 dtype name.</summary>
    /// <param name="name">The name bytes.</param>
    /// <param name="dtype">The parsed type.</param>
    /// <returns><see langword="true"/> when the name is a supported type.</returns>
    public static bool TryParse(ReadOnlySpan<byte> name, out SafeTensorsDType dtype)
    {
        dtype = name switch
        {
            _ when name.SequenceEqual("F32"u8) => SafeTensorsDType.F32,
            _ when name.SequenceEqual("F16"u8) => SafeTensorsDType.F16,
            _ when name.SequenceEqual("BF16"u8) => SafeTensorsDType.BF16,
            _ when name.SequenceEqual("F64"u8) => SafeTensorsDType.F64,
            _ when name.SequenceEqual("I64"u8) => SafeTensorsDType.I64,
            _ when name.SequenceEqual("I32"u8) => SafeTensorsDType.I32,
            _ when name.SequenceEqual("I16"u8) => SafeTensorsDType.I16,
            _ when name.SequenceEqual("I8"u8) => SafeTensorsDType.I8,
            _ when name.SequenceEqual("U8"u8) => SafeTensorsDType.U8,
            _ when name.SequenceEqual("U16"u8) => SafeTensorsDType.U16,
            _ when name.SequenceEqual("U32"u8) => SafeTensorsDType.U32,
            _ when name.SequenceEqual("U64"u8) => SafeTensorsDType.U64,
            _ when name.SequenceEqual("BOOL"u8) => SafeTensorsDType.Bool,
            _ when name.SequenceEqual("F8_E4M3"u8) => SafeTensorsDType.F8E4M3,
            _ when name.SequenceEqual("F8_E5M2"u8) => SafeTensorsDType.F8E5M2,
            _ when name.SequenceEqual("F8_E8M0"u8) => SafeTensorsDType.F8E8M0,
            _ when name.SequenceEqual("C64"u8) => SafeTensorsDType.C64,
            _ => (SafeTensorsDType)(-1),
        };
        return dtype >= 0;
    }

    /// <summary>Tells whether a name is a sub-byte type of newer files, which this library does not read.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> for <c>F4</c>, <c>F6_E2M3</c> and <c>F6_E3M2</c>.</returns>
    public static bool IsSubByte(string name) => name is "F4" or "F6_E2M3" or "F6_E3M2";
}
