namespace Aigc;

/// <summary>
/// The element type of a tensor in a safetensors file (the header's <c>dtype</c> field). Every value is stored
/// little-endian. The members are declared in the reference implementation's order (smallest alignment first),
/// which its writer uses to place tensors with larger elements first.
/// </summary>
/// <remarks>
/// The sub-byte types of newer files (<c>F4</c>, <c>F6_E2M3</c>, <c>F6_E3M2</c>) are not supported: a file that
/// uses them is rejected with <see cref="SafeTensorsFormatException"/>.
/// </remarks>
public enum SafeTensorsDType
{
    /// <summary>Boolean, one byte holding 0 or 1 (<c>BOOL</c>).</summary>
    Bool,

    /// <summary>Unsigned 8-bit integer (<c>U8</c>).</summary>
    U8,

    /// <summary>Signed 8-bit integer (<c>I8</c>).</summary>
    I8,

    /// <summary>8-bit float with 5 exponent and 2 mantissa bits (<c>F8_E5M2</c>).</summary>
    F8E5M2,

    /// <summary>8-bit float with 4 exponent and 3 mantissa bits (<c>F8_E4M3</c>).</summary>
    F8E4M3,

    /// <summary>8-bit exponent-only scale (<c>F8_E8M0</c>).</summary>
    F8E8M0,

    /// <summary>Signed 16-bit integer (<c>I16</c>).</summary>
    I16,

    /// <summary>Unsigned 16-bit integer (<c>U16</c>).</summary>
    U16,

    /// <summary>IEEE half-precision float (<c>F16</c>), <see cref="System.Half"/>.</summary>
    F16,

    /// <summary>Brain float (<c>BF16</c>): the upper 16 bits of a float32, read and written as <see cref="ushort"/>.</summary>
    BF16,

    /// <summary>Signed 32-bit integer (<c>I32</c>).</summary>
    I32,

    /// <summary>Unsigned 32-bit integer (<c>U32</c>).</summary>
    U32,

    /// <summary>IEEE single-precision float (<c>F32</c>).</summary>
    F32,

    /// <summary>Complex number of two float32 parts, real first (<c>C64</c>); read and written as bytes.</summary>
    C64,

    /// <summary>IEEE double-precision float (<c>F64</c>).</summary>
    F64,

    /// <summary>Signed 64-bit integer (<c>I64</c>).</summary>
    I64,

    /// <summary>Unsigned 64-bit integer (<c>U64</c>).</summary>
    U64,
}
