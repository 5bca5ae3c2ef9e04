using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Aigc;

/// <summary>
/// Writes a safetensors file the way the reference implementation (the Python and Rust <c>safetensors</c> library)
/// does, byte for byte: tensors ordered by element alignment (largest first), then by name; the header as compact
/// JSON padded with spaces so the data starts 8-byte aligned; <c>__metadata__</c> first, holding
/// <c>{"format":"pt"}</c> by default because Hugging Face transformers refuses files without it.
/// </summary>
/// <remarks>
/// The writer keeps references to the tensor data it is given and reads them only when writing, streaming header
/// and data to the destination without building the file in memory: do not change the data until the write has
/// finished. An instance is not thread-safe.
/// </remarks>
public sealed class SafeTensorsWriter
{
    private const int ScratchLength = 1 << 20;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<SafeTensorsWriterEntry> _entries = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets the <c>__metadata__</c> map written to the header (keys in ordinal order). It starts with
    /// <c>format</c> → <c>pt</c>; clear it to write no <c>__metadata__</c> at all.
    /// </summary>
    /// <value>The default value is a map holding <c>format</c> → <c>pt</c>.</value>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };

    /// <summary>Gets the number of tensors added.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a tensor whose dtype follows from the element type: <see cref="float"/> → <c>F32</c>, <see cref="Half"/> → <c>F16</c>, <see cref="double"/> → <c>F64</c>, <see cref="sbyte"/>/<see cref="short"/>/<see cref="int"/>/<see cref="long"/> → <c>I8</c>…<c>I64</c>, <see cref="byte"/>/<see cref="ushort"/>/<see cref="uint"/>/<see cref="ulong"/> → <c>U8</c>…<c>U64</c>, <see cref="bool"/> → <c>BOOL</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The tensor name; unique, and not <c>__metadata__</c>.</param>
    /// <param name="shape">The dimensions, outermost first; empty for a scalar.</param>
    /// <param name="data">The elements in row-major order (kept by reference, not copied).</param>
    /// <returns>This writer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is taken, reserved or not valid text; <typeparamref name="T"/> has no dtype; or the data length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public SafeTensorsWriter Add<T>(string name, ReadOnlySpan<long> shape, T[] data)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return Add(name, SafeTensorsElementTypes.InferDType<T>(nameof(data)), shape, (ReadOnlyMemory<T>)data);
    }

    /// <summary>Adds a tensor whose dtype follows from the element type (see <see cref="Add{T}(string, ReadOnlySpan{long}, T[])"/>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The tensor name; unique, and not <c>__metadata__</c>.</param>
    /// <param name="shape">The dimensions, outermost first; empty for a scalar.</param>
    /// <param name="data">The elements in row-major order (kept by reference, not copied).</param>
    /// <returns>This writer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is taken, reserved or not valid text; <typeparamref name="T"/> has no dtype; or the data length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public SafeTensorsWriter Add<T>(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<T> data)
        where T : unmanaged =>
        Add(name, SafeTensorsElementTypes.InferDType<T>(nameof(data)), shape, data);

    /// <summary>
    /// Adds a tensor of the given dtype. <typeparamref name="T"/> must be the dtype's .NET element type
    /// (see <see cref="SafeTensorsDTypeExtensions.GetElementType"/>, for example <see cref="ushort"/> or <see cref="short"/>
    /// for the bit patterns of <c>BF16</c>), or <see cref="byte"/> for the raw little-endian bytes of any dtype.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">The tensor name; unique, and not <c>__metadata__</c>.</param>
    /// <param name="dtype">The element type written to the header.</param>
    /// <param name="shape">The dimensions, outermost first; empty for a scalar.</param>
    /// <param name="data">The elements in row-major order (kept by reference, not copied).</param>
    /// <returns>This writer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is taken, reserved or not valid text; <typeparamref name="T"/> does not match <paramref name="dtype"/>; or the data length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not defined, or a dimension is negative.</exception>
    public SafeTensorsWriter Add<T>(string name, SafeTensorsDType dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<T> data)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.IsDefined(dtype))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype.");
        }

        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved for the metadata map; add metadata through Metadata.", nameof(name));
        }

        if (_names.Contains(name))
        {
            throw new ArgumentException($"A tensor named {SafeTensorsText.Quote(name)} was already added; names must be unique.", nameof(name));
        }

        if (!SafeTensorsElementTypes.Matches<T>(dtype))
        {
            throw new ArgumentException(
                $"{typeof(T).Name} data cannot be written as {dtype.GetName()}; pass {dtype.GetElementType().Name} elements or raw bytes.", nameof(data));
        }

        SafeTensorsElementTypes.EnsureEndianness<T>();
        long count = 1;
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            count = CheckedMultiply(count, dim, shape);
        }

        var byteLength = CheckedMultiply(count, dtype.GetElementSize(), shape);
        if ((long)data.Length * Unsafe.SizeOf<T>() != byteLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Tensor {SafeTensorsText.Quote(name)}: shape {SafeTensorsText.Shape(shape)} of {dtype.GetName()} needs {byteLength} bytes but the data has {(long)data.Length * Unsafe.SizeOf<T>()}."), nameof(data));
        }

        var entry = new TypedSafeTensorsWriterEntry<T>(name, EncodeText(name, nameof(name)), dtype, shape.ToArray(), data);
        _names.Add(name);
        _entries.Add(entry);
        return this;
    }

    /// <summary>Gets the length of the file that writing now would produce.</summary>
    /// <returns>The length in bytes: 8 + the padded header + the data.</returns>
    /// <exception cref="InvalidOperationException">A metadata key or value is null, or the header would exceed the format's limit.</exception>
    public long GetFileLength()
    {
        var (header, ordered) = Prepare();
        long length = header.Length;
        foreach (var entry in ordered)
        {
            length += entry.ByteLength;
        }

        return length;
    }

    /// <summary>Writes the file to a stream: the header, then each tensor's bytes, then a flush.</summary>
    /// <param name="destination">A writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> cannot write.</exception>
    /// <exception cref="InvalidOperationException">A metadata key or value is null, or the header would exceed the format's limit.</exception>
    public void WriteTo(Stream destination)
    {
        CheckWritable(destination);
        var (header, ordered) = Prepare();
        destination.Write(header);
        foreach (var entry in ordered)
        {
            entry.WriteData(destination);
        }

        destination.Flush();
    }

    /// <summary>Writes the file to a stream: the header, then each tensor's bytes, then a flush.</summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> cannot write.</exception>
    /// <exception cref="InvalidOperationException">A metadata key or value is null, or the header would exceed the format's limit.</exception>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        CheckWritable(destination);
        var (header, ordered) = Prepare();
        await destination.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        byte[]? scratch = null;
        try
        {
            foreach (var entry in ordered)
            {
                scratch ??= System.Buffers.ArrayPool<byte>.Shared.Rent(ScratchLength);
                await entry.WriteDataAsync(destination, scratch, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (scratch is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the file to a path. The bytes go to a temporary file in the same folder, which then replaces
    /// <paramref name="path"/>, so no reader ever sees a partly written file.
    /// </summary>
    /// <param name="path">The file path; its folder must exist.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">A metadata key or value is null, or the header would exceed the format's limit.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void WriteToFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = GetFileLength();
        var temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileOptionsFor(length, FileOptions.None)))
            {
                WriteTo(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Writes the file to a path. The bytes go to a temporary file in the same folder, which then replaces
    /// <paramref name="path"/>, so no reader ever sees a partly written file.
    /// </summary>
    /// <param name="path">The file path; its folder must exist.</param>
    /// <param name="cancellationToken">Cancels the write (the temporary file is then deleted).</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">A metadata key or value is null, or the header would exceed the format's limit.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public async Task WriteToFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = GetFileLength();
        var temporary = TemporaryPathFor(path);
        try
        {
            var stream = new FileStream(temporary, FileOptionsFor(length, FileOptions.Asynchronous));
            await using (stream.ConfigureAwait(false))
            {
                await WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static long CheckedMultiply(long a, long b, ReadOnlySpan<long> shape)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentException($"Shape {SafeTensorsText.Shape(shape)} has more bytes than a 64-bit size can count.", nameof(shape), ex);
        }
    }

    private static byte[] EncodeText(string text, string paramName)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"{SafeTensorsText.Quote(text)} is not valid text (it has an unpaired surrogate) and cannot be written as UTF-8.", paramName, ex);
        }
    }

    private static void CheckWritable(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(destination));
        }
    }

    private static string TemporaryPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    private static FileStreamOptions FileOptionsFor(long length, FileOptions options) => new()
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Share = FileShare.None,
        PreallocationSize = length,
        Options = options | FileOptions.SequentialScan,
        BufferSize = 1 << 16,
    };

    private (byte[] Header, SafeTensorsWriterEntry[] Ordered) Prepare()
    {
        // The reference implementation sorts by dtype, largest alignment first, then by name (UTF-8 byte order),
        // and writes the data in that order; with 8-byte-aligned data every tensor is then aligned to its element size.
        var ordered = _entries.ToArray();
        Array.Sort(ordered, static (a, b) =>
        {
            var c = ((int)b.DType).CompareTo((int)a.DType);
            return c != 0 ? c : a.NameUtf8.AsSpan().SequenceCompareTo(b.NameUtf8);
        });

        var metadata = new List<KeyValuePair<byte[], byte[]>>(Metadata.Count);
        foreach (var (key, value) in Metadata)
        {
            if (key is null || value is null)
            {
                throw new InvalidOperationException($"Metadata entry {(key is null ? "with a null key" : SafeTensorsText.Quote(key))} has no value; safetensors metadata values are strings.");
            }

            metadata.Add(new(EncodeMetadata(key), EncodeMetadata(value)));
        }

        metadata.Sort(static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return (SafeTensorsHeaderWriter.Build(ordered, metadata), ordered);
    }

    private static byte[] EncodeMetadata(string text)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new InvalidOperationException($"Metadata text {SafeTensorsText.Quote(text)} has an unpaired surrogate and cannot be written as UTF-8.", ex);
        }
    }
}
