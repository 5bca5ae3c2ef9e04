using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aigc;

/// <summary>A tensor whose elements are held as <see cref="ReadOnlyMemory{T}"/> until the file is written.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class TypedSafeTensorsWriterEntry<T> : SafeTensorsWriterEntry
    where T : unmanaged
{
    private readonly ReadOnlyMemory<T> _data;

    /// <summary>Initializes a new instance of the <see cref="TypedSafeTensorsWriterEntry{T}"/> class.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="nameUtf8">The name as UTF-8.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="data">The elements (not copied).</param>
    public TypedSafeTensorsWriterEntry(string name, byte[] nameUtf8, SafeTensorsDType dtype, long[] shape, ReadOnlyMemory<T> data)
        : base(name, nameUtf8, dtype, shape, (long)data.Length * Unsafe.SizeOf<T>())
    {
        _data = data;
    }

    /// <inheritdoc/>
    public override void WriteData(Stream destination)
    {
        // Element-sized chunks: a byte view of more than 2 GB of elements would not fit in one span.
        var chunk = ChunkElements;
        for (var done = 0; done < _data.Length; done += chunk)
        {
            destination.Write(MemoryMarshal.AsBytes(_data.Span.Slice(done, Math.Min(chunk, _data.Length - done))));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask WriteDataAsync(Stream destination, byte[] scratch, CancellationToken cancellationToken)
    {
        if (typeof(T) == typeof(byte))
        {
            await destination.WriteAsync((ReadOnlyMemory<byte>)(object)_data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var chunk = scratch.Length / Unsafe.SizeOf<T>();
        for (var done = 0; done < _data.Length; done += chunk)
        {
            var bytes = MemoryMarshal.AsBytes(_data.Span.Slice(done, Math.Min(chunk, _data.Length - done)));
            bytes.CopyTo(scratch);
            await destination.WriteAsync(scratch.AsMemory(0, bytes.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    private static int ChunkElements => (1 << 26) / Unsafe.SizeOf<T>();
}
