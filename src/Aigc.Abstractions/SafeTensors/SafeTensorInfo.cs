using System.Globalization;

namespace Aigc;

/// <summary>
/// One tensor entry of a safetensors header: name, element type, shape and where its bytes lie in the data buffer.
/// A reader only creates entries that passed validation, so <see cref="ByteLength"/> always equals
/// <see cref="ElementCount"/> times the element size.
/// </summary>
public sealed class SafeTensorInfo
{
    private readonly long[] _shape;

    internal SafeTensorInfo(string name, SafeTensorsDType dtype, long[] shape, long dataBegin, long dataEnd, long elementCount, int headerIndex)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
        ElementCount = elementCount;
        HeaderIndex = headerIndex;
    }

    /// <summary>Gets the tensor name (the header key), for example <c>h.0.attn.c_attn.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the element type.</summary>
    public SafeTensorsDType DType { get; }

    /// <summary>Gets the dimensions, outermost first (row-major); empty for a scalar.</summary>
    public ReadOnlyMemory<long> Shape => _shape;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Gets the offset of the first byte, relative to the start of the data buffer.</summary>
    public long DataBegin { get; }

    /// <summary>Gets the offset one past the last byte, relative to the start of the data buffer.</summary>
    public long DataEnd { get; }

    /// <summary>Gets the number of bytes (<see cref="DataEnd"/> − <see cref="DataBegin"/>).</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>Gets the number of elements (the product of the shape; 1 for a scalar, 0 when a dimension is 0).</summary>
    public long ElementCount { get; }

    /// <summary>Gets the entry's position among the header's keys (for stable ordering).</summary>
    internal int HeaderIndex { get; }

    /// <summary>Returns the name, type, shape and offsets, for example <c>w: F32 [4, 8] at [0, 128]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {DType.GetName()} {SafeTensorsText.Shape(_shape)} at {SafeTensorsText.Offsets(DataBegin, DataEnd)}");
}
