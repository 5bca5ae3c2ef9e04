namespace Aigc;

/// <summary>A tensor added to a <see cref="SafeTensorsWriter"/>: its header entry and a way to write its bytes.</summary>
internal abstract class SafeTensorsWriterEntry
{
    /// <summary>Initializes a new instance of the <see cref="SafeTensorsWriterEntry"/> class.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="nameUtf8">The name as UTF-8, for ordering and the header.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="byteLength">The data length in bytes.</param>
    protected SafeTensorsWriterEntry(string name, byte[] nameUtf8, SafeTensorsDType dtype, long[] shape, long byteLength)
    {
        Name = name;
        NameUtf8 = nameUtf8;
        DType = dtype;
        Shape = shape;
        ByteLength = byteLength;
    }

    /// <summary>Gets the tensor name.</summary>
    public string Name { get; }

    /// <summary>Gets the name as UTF-8 bytes.</summary>
    public byte[] NameUtf8 { get; }

    /// <summary>Gets the element type.</summary>
    public SafeTensorsDType DType { get; }

    /// <summary>Gets the dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>Gets the data length in bytes.</summary>
    public long ByteLength { get; }

    /// <summary>Writes the tensor's little-endian bytes.</summary>
    /// <param name="destination">The stream.</param>
    public abstract void WriteData(Stream destination);

    /// <summary>Writes the tensor's little-endian bytes.</summary>
    /// <param name="destination">The stream.</param>
    /// <param name="scratch">A buffer for typed data, which cannot be written as <see cref="ReadOnlyMemory{T}"/> of bytes without copying.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    public abstract ValueTask WriteDataAsync(Stream destination, byte[] scratch, CancellationToken cancellationToken);
}
