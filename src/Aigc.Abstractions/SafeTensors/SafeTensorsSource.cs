namespace Aigc;

/// <summary>Random-access reads over the bytes of one safetensors file, from a file handle or a seekable stream.</summary>
internal abstract class SafeTensorsSource : IDisposable
{
    /// <summary>Gets the file path for messages, or <see langword="null"/> for a stream.</summary>
    public abstract string? FilePath { get; }

    /// <summary>Gets the length of the safetensors content in bytes, fixed when it was opened.</summary>
    public abstract long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at an offset of the content.</summary>
    /// <param name="offset">The offset from the start of the content.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <returns>How many bytes were read; 0 at the end.</returns>
    public abstract int ReadAt(long offset, Span<byte> buffer);

    /// <summary>Reads up to <c>buffer.Length</c> bytes at an offset of the content.</summary>
    /// <param name="offset">The offset from the start of the content.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many bytes were read; 0 at the end.</returns>
    public abstract ValueTask<int> ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Fills <paramref name="buffer"/> from an offset of the content.</summary>
    /// <param name="offset">The offset from the start of the content.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <exception cref="EndOfStreamException">The content ended first.</exception>
    public void ReadExactlyAt(long offset, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = ReadAt(offset, buffer);
            if (n <= 0)
            {
                throw new EndOfStreamException($"The content ended at offset {offset} with {buffer.Length} bytes still to read.");
            }

            offset += n;
            buffer = buffer[n..];
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from an offset of the content.</summary>
    /// <param name="offset">The offset from the start of the content.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the buffer is full.</returns>
    /// <exception cref="EndOfStreamException">The content ended first.</exception>
    public async ValueTask ReadExactlyAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var n = await ReadAtAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
            if (n <= 0)
            {
                throw new EndOfStreamException($"The content ended at offset {offset} with {buffer.Length} bytes still to read.");
            }

            offset += n;
            buffer = buffer[n..];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file handle or stream.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected abstract void Dispose(bool disposing);
}
