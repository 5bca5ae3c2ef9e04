using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aigc;

/// <summary>
/// Reads a safetensors file. Opening reads and validates the whole header (size field, JSON, dtypes, shapes,
/// offsets, coverage of the data buffer) before anything else is allocated; tensors are then read on demand.
/// </summary>
/// <remarks>
/// <para>
/// A file that breaks the format fails with <see cref="SafeTensorsFormatException"/> naming the file, the tensor
/// and the rule. Nothing the reader allocates while opening is larger than a few times the header, and a tensor
/// buffer is never larger than the file, whatever the header claims.
/// </para>
/// <para>
/// Reads from a file are safe to run concurrently; reads from a stream are serialized. Tensor bytes are
/// little-endian, row-major.
/// </para>
/// </remarks>
public sealed class SafeTensorsReader : IDisposable
{
    private const int CopyChunkLength = 1 << 20;

    private readonly SafeTensorsSource _source;
    private bool _disposed;

    private SafeTensorsReader(SafeTensorsSource source, SafeTensorsHeader header)
    {
        _source = source;
        Header = header;
    }

    /// <summary>Gets the validated header: tensors, metadata, header length and data start.</summary>
    public SafeTensorsHeader Header { get; }

    /// <summary>Gets the path of the file, or <see langword="null"/> when reading a stream that is not a <see cref="FileStream"/>.</summary>
    public string? FilePath => _source.FilePath;

    /// <summary>Opens a safetensors file and validates its header.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The reader; dispose it to close the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafeTensorsFormatException">The file breaks the format.</exception>
    public static SafeTensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = FileSafeTensorsSource.Open(path);
        return Create(source);
    }

    /// <summary>Reads and validates the header of safetensors content in a stream, from its current position to its end.</summary>
    /// <param name="stream">A readable, seekable stream positioned at the start of the content.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot read or seek (copy it to a file or a <see cref="MemoryStream"/> first).</exception>
    /// <exception cref="SafeTensorsFormatException">The content breaks the format.</exception>
    public static SafeTensorsReader Open(Stream stream, bool leaveOpen = false)
    {
        var source = CreateStreamSource(stream, leaveOpen);
        return Create(source);
    }

    /// <summary>Opens a safetensors file and validates its header.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reader; dispose it to close the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafeTensorsFormatException">The file breaks the format.</exception>
    public static Task<SafeTensorsReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return CreateAsync(FileSafeTensorsSource.Open(path), cancellationToken);
    }

    /// <summary>Copies a tensor's raw little-endian bytes into a buffer of exactly its byte length.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="destination">A buffer of exactly <see cref="SafeTensorInfo.ByteLength"/> bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The file has no tensor with that name.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly the tensor's byte length.</exception>
    /// <exception cref="SafeTensorsFormatException">The file was truncated after it was opened.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public void ReadTensorBytes(string name, Span<byte> destination)
    {
        var info = Find(name);
        CheckDestination(info, destination.Length);
        ReadBytes(info, destination);
    }

    /// <summary>Copies a tensor's raw little-endian bytes into a buffer of exactly its byte length.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="destination">A buffer of exactly <see cref="SafeTensorInfo.ByteLength"/> bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the buffer is filled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The file has no tensor with that name.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly the tensor's byte length.</exception>
    /// <exception cref="SafeTensorsFormatException">The file was truncated after it was opened.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public async ValueTask ReadTensorBytesAsync(string name, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var info = Find(name);
        CheckDestination(info, destination.Length);
        await ReadBytesAsync(info, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a tensor into a new array of its .NET element type (see <see cref="SafeTensorsDTypeExtensions.GetElementType"/>):
    /// <see cref="float"/> for <c>F32</c>, <see cref="Half"/> for <c>F16</c>, <see cref="ushort"/> (or <see cref="short"/>) for the
    /// bit patterns of <c>BF16</c>, and so on; <see cref="byte"/> reads the raw bytes of any dtype.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The tensor name.</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The file has no tensor with that name.</exception>
    /// <exception cref="InvalidCastException"><typeparamref name="T"/> does not match the tensor's dtype.</exception>
    /// <exception cref="InvalidOperationException">The tensor has more elements than an array can hold; use <see cref="OpenTensorStream"/>.</exception>
    /// <exception cref="SafeTensorsFormatException">A <c>BOOL</c> tensor holds a byte other than 0 or 1, or the file was truncated after it was opened.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public T[] ReadTensor<T>(string name)
        where T : unmanaged
    {
        var info = Find(name);
        var result = AllocateFor<T>(info);
        var bytes = MemoryMarshal.AsBytes(result.AsSpan());
        ReadBytes(info, bytes);
        CheckBooleans<T>(info, bytes);
        return result;
    }

    /// <summary>
    /// Reads a tensor into a new array of its .NET element type (see <see cref="SafeTensorsDTypeExtensions.GetElementType"/>;
    /// <see cref="short"/> also reads <c>BF16</c> bit patterns); <see cref="byte"/> reads the raw bytes of any dtype.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The tensor name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The file has no tensor with that name.</exception>
    /// <exception cref="InvalidCastException"><typeparamref name="T"/> does not match the tensor's dtype.</exception>
    /// <exception cref="InvalidOperationException">The tensor has more elements than an array can hold; use <see cref="OpenTensorStream"/>.</exception>
    /// <exception cref="SafeTensorsFormatException">A <c>BOOL</c> tensor holds a byte other than 0 or 1, or the file was truncated after it was opened.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public async Task<T[]> ReadTensorAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var info = Find(name);
        var result = AllocateFor<T>(info);
        if (typeof(T) == typeof(byte))
        {
            await ReadBytesAsync(info, (byte[])(object)result, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A Memory<byte> cannot view a T[] without unsafe code, so the bytes come through a pooled buffer.
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(info.ByteLength, CopyChunkLength));
            try
            {
                for (long done = 0; done < info.ByteLength;)
                {
                    var n = (int)Math.Min(buffer.Length, info.ByteLength - done);
                    await ReadRangeAsync(info, done, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    buffer.AsSpan(0, n).CopyTo(MemoryMarshal.AsBytes(result.AsSpan())[(int)done..]);
                    done += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        CheckBooleans<T>(info, MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>Opens a read-only, seekable stream over a tensor's raw bytes, for tensors too large for one buffer.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The stream; it reads through this reader, so dispose it before the reader.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The file has no tensor with that name.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public Stream OpenTensorStream(string name)
    {
        var info = Find(name);
        return new SafeTensorStream(_source, Header.DataStart + info.DataBegin, info.ByteLength, info.Name);
    }

    /// <summary>Closes the file, or the stream unless it was opened with <c>leaveOpen</c>.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _source.Dispose();
        }
    }

    private static StreamSafeTensorsSource CreateStreamSource(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable; copy it to a file or a MemoryStream first.", nameof(stream));
        }

        return new StreamSafeTensorsSource(stream, leaveOpen);
    }

    private static SafeTensorsReader Create(SafeTensorsSource source)
    {
        try
        {
            Span<byte> sizeField = stackalloc byte[SafeTensorsHeader.SizeFieldLength];
            CheckMinimumLength(source);
            ReadHeaderBytes(source, 0, sizeField);
            var json = AllocateHeader(source, BinaryPrimitives.ReadUInt64LittleEndian(sizeField));
            ReadHeaderBytes(source, SafeTensorsHeader.SizeFieldLength, json);
            return new SafeTensorsReader(source, SafeTensorsHeaderParser.Parse(json, source.Length, source.FilePath));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static async Task<SafeTensorsReader> CreateAsync(SafeTensorsSource source, CancellationToken cancellationToken)
    {
        try
        {
            var sizeField = new byte[SafeTensorsHeader.SizeFieldLength];
            CheckMinimumLength(source);
            await ReadHeaderBytesAsync(source, 0, sizeField, cancellationToken).ConfigureAwait(false);
            var json = AllocateHeader(source, BinaryPrimitives.ReadUInt64LittleEndian(sizeField));
            await ReadHeaderBytesAsync(source, SafeTensorsHeader.SizeFieldLength, json, cancellationToken).ConfigureAwait(false);
            return new SafeTensorsReader(source, SafeTensorsHeaderParser.Parse(json, source.Length, source.FilePath));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static void CheckMinimumLength(SafeTensorsSource source)
    {
        if (source.Length < SafeTensorsHeader.SizeFieldLength)
        {
            throw new SafeTensorsFormatException(source.FilePath, null, string.Create(CultureInfo.InvariantCulture,
                $"the file is {source.Length} bytes long, shorter than the 8-byte header size field"));
        }
    }

    private static byte[] AllocateHeader(SafeTensorsSource source, ulong headerLength)
    {
        if (headerLength > SafeTensorsHeader.MaxHeaderLength)
        {
            throw new SafeTensorsFormatException(source.FilePath, null, string.Create(CultureInfo.InvariantCulture,
                $"the header size field says {headerLength} bytes, more than the format's limit of {SafeTensorsHeader.MaxHeaderLength}"));
        }

        var available = source.Length - SafeTensorsHeader.SizeFieldLength;
        if ((long)headerLength > available)
        {
            throw new SafeTensorsFormatException(source.FilePath, null, string.Create(CultureInfo.InvariantCulture,
                $"the header size field says {headerLength} bytes but only {available} bytes follow it in the file"));
        }

        return GC.AllocateUninitializedArray<byte>((int)headerLength);
    }

    private static void ReadHeaderBytes(SafeTensorsSource source, long offset, Span<byte> buffer)
    {
        try
        {
            source.ReadExactlyAt(offset, buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new SafeTensorsFormatException(source.FilePath, null, "the content ended inside the header, before the length it had when opened", ex);
        }
    }

    private static async ValueTask ReadHeaderBytesAsync(SafeTensorsSource source, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await source.ReadExactlyAtAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new SafeTensorsFormatException(source.FilePath, null, "the content ended inside the header, before the length it had when opened", ex);
        }
    }

    private static void CheckDestination(SafeTensorInfo info, int length)
    {
        if (length != info.ByteLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Tensor {SafeTensorsText.Quote(info.Name)} is {info.ByteLength} bytes; the destination must be exactly that long, not {length}."), "destination");
        }
    }

    private static T[] AllocateFor<T>(SafeTensorInfo info)
        where T : unmanaged
    {
        if (!SafeTensorsElementTypes.Matches<T>(info.DType))
        {
            throw new InvalidCastException(
                $"Tensor {SafeTensorsText.Quote(info.Name)} is {info.DType.GetName()}; read it as {info.DType.GetElementType().Name} (or as raw bytes), not as {typeof(T).Name}.");
        }

        SafeTensorsElementTypes.EnsureEndianness<T>();
        var count = info.ByteLength / Unsafe.SizeOf<T>();
        if (count > Array.MaxLength)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Tensor {SafeTensorsText.Quote(info.Name)} has {count} elements, more than an array can hold; read it with OpenTensorStream."));
        }

        return GC.AllocateUninitializedArray<T>((int)count);
    }

    private void CheckBooleans<T>(SafeTensorInfo info, ReadOnlySpan<byte> bytes)
        where T : unmanaged
    {
        if (typeof(T) == typeof(bool))
        {
            var bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
            if (bad >= 0)
            {
                throw new SafeTensorsFormatException(FilePath, info.Name, string.Create(CultureInfo.InvariantCulture,
                    $"BOOL element {bad} is byte 0x{bytes[bad]:X2}; booleans must be 0 or 1"));
            }
        }
    }

    private SafeTensorInfo Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Header.TryGetTensor(name, out var info)
            ? info
            : throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture,
                $"The safetensors {(FilePath is null ? "stream" : $"file '{FilePath}'")} has no tensor named {SafeTensorsText.Quote(name)}; it has {Header.Tensors.Count} tensors (see Header.Tensors)."));
    }

    private void ReadBytes(SafeTensorInfo info, Span<byte> destination)
    {
        try
        {
            _source.ReadExactlyAt(Header.DataStart + info.DataBegin, destination);
        }
        catch (EndOfStreamException ex)
        {
            throw Truncated(info, ex);
        }
    }

    private ValueTask ReadBytesAsync(SafeTensorInfo info, Memory<byte> destination, CancellationToken cancellationToken) =>
        ReadRangeAsync(info, 0, destination, cancellationToken);

    private async ValueTask ReadRangeAsync(SafeTensorInfo info, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            await _source.ReadExactlyAtAsync(Header.DataStart + info.DataBegin + offset, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw Truncated(info, ex);
        }
    }

    private SafeTensorsFormatException Truncated(SafeTensorInfo info, EndOfStreamException inner) =>
        new(FilePath, info.Name, "the file ended before the tensor's last byte; it was truncated or changed after it was opened", inner);
}
