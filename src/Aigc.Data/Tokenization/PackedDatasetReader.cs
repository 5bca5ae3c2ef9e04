using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Aigc.Data;

/// <summary>
/// Reads a <c>.tokens</c> file written by <see cref="PackedDatasetWriter"/>: sequences in order or by index (every
/// sequence has the same size, so random access is one read, for shuffling each epoch), and the sidecar JSON.
/// </summary>
/// <remarks>
/// Layout: a 64-byte little-endian header (magic <c>AIGCTOKS</c>, version, header size, sequence length, arrays per
/// sequence, count, vocabulary size, pad id, ignore index, flags), then per sequence four int32 little-endian arrays
/// of the sequence length: input ids, labels, position ids, segment ids. Reads are thread-safe.
/// </remarks>
public sealed class PackedDatasetReader : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long _sequenceBytes;

    private PackedDatasetReader(string path, SafeFileHandle handle, int sequenceLength, long count, int vocabularySize, int padTokenId, bool resetPositionIds, PackedDatasetInfo? info)
    {
        Path = path;
        _handle = handle;
        SequenceLength = sequenceLength;
        Count = count;
        VocabularySize = vocabularySize;
        PadTokenId = padTokenId;
        ResetPositionIds = resetPositionIds;
        Info = info;
        _sequenceBytes = PackedDatasetFormat.SequenceBytes(sequenceLength);
    }

    /// <summary>Gets the file path.</summary>
    public string Path { get; }

    /// <summary>Gets the length of every sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Gets the number of sequences.</summary>
    public long Count { get; }

    /// <summary>Gets the vocabulary size recorded in the header (0 when unknown).</summary>
    public int VocabularySize { get; }

    /// <summary>Gets the pad token id.</summary>
    public int PadTokenId { get; }

    /// <summary>Gets whether position ids restart at each segment.</summary>
    public bool ResetPositionIds { get; }

    /// <summary>Gets the sidecar information, or <see langword="null"/> when the file has no sidecar.</summary>
    public PackedDatasetInfo? Info { get; }

    /// <summary>Opens a <c>.tokens</c> file and its sidecar (when present), checking the header against the file size.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="DataFileException">The file is missing, not a <c>.tokens</c> file, of a newer version, truncated or longer than its header says.</exception>
    public static async Task<PackedDatasetReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, "cannot be opened: " + e.Message, e);
        }

        try
        {
            var length = RandomAccess.GetLength(handle);
            var header = new byte[PackedDatasetFormat.HeaderSize];
            var read = length < header.Length ? 0 : await RandomAccess.ReadAsync(handle, header, 0, cancellationToken).ConfigureAwait(false);
            if (read < header.Length || !header.AsSpan(0, 8).SequenceEqual(PackedDatasetFormat.Magic))
            {
                throw new DataFileException(path, "is not a .tokens file (no AIGCTOKS header).", null);
            }

            var version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
            var sequenceLength = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
            var arrays = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
            var count = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24));
            var vocabularySize = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(32));
            var padTokenId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(36));
            var ignoreIndex = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(40));
            var flags = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(44));
            if (version != PackedDatasetFormat.Version)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"has format version {version}; this reader supports version {PackedDatasetFormat.Version}: update Aigc.Data or re-tokenize."), null);
            }

            if (headerSize != PackedDatasetFormat.HeaderSize || arrays != PackedDatasetFormat.ArraysPerSequence || sequenceLength is 0 or > (1 << 24)
                || count < 0 || vocabularySize < 0 || ignoreIndex != RecordTokenizer.IgnoreIndex)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"has an invalid header (header size {headerSize}, {arrays} arrays, sequence length {sequenceLength}, count {count}, vocabulary {vocabularySize}, ignore index {ignoreIndex})."), null);
            }

            var sequenceBytes = PackedDatasetFormat.SequenceBytes((int)sequenceLength);
            var expected = count > (long.MaxValue - PackedDatasetFormat.HeaderSize) / sequenceBytes ? -1 : PackedDatasetFormat.HeaderSize + (count * sequenceBytes);
            if (length != expected)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"is {length} bytes but its header describes {count} sequences of {sequenceLength} tokens ({expected} bytes): the file is truncated or damaged; write it again."), null);
            }

            var sidecar = PackedDatasetInfo.GetSidecarPath(path);
            var info = File.Exists(sidecar) ? await PackedDatasetInfo.ReadAsync(sidecar, cancellationToken).ConfigureAwait(false) : null;
            if (info is not null && (info.SequenceCount != count || info.SequenceLength != sequenceLength))
            {
                throw new DataFileException(sidecar, string.Create(CultureInfo.InvariantCulture, $"describes {info.SequenceCount} sequences of {info.SequenceLength} tokens but {path} holds {count} of {sequenceLength}: they do not belong together."), null);
            }

            return new PackedDatasetReader(path, handle, (int)sequenceLength, count, vocabularySize, padTokenId, (flags & PackedDatasetFormat.ResetPositionIdsFlag) != 0, info);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads the sequence at <paramref name="index"/>.</summary>
    /// <param name="index">The sequence index, from 0 to <see cref="Count"/> − 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sequence.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the file.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    /// <exception cref="DataFileException">The file changed size while being read.</exception>
    public async ValueTask<PackedSequence> ReadAsync(long index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var size = (int)_sequenceBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var offset = PackedDatasetFormat.HeaderSize + (index * _sequenceBytes);
            var total = 0;
            while (total < size)
            {
                var read = await RandomAccess.ReadAsync(_handle, buffer.AsMemory(total, size - total), offset + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new DataFileException(Path, string.Create(CultureInfo.InvariantCulture, $"ended inside sequence {index}: the file was truncated while open."), null);
                }

                total += read;
            }

            return Decode(buffer.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads every sequence in order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sequences.</returns>
    public async IAsyncEnumerable<PackedSequence> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (long i = 0; i < Count; i++)
        {
            yield return await ReadAsync(i, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private PackedSequence Decode(ReadOnlySpan<byte> bytes)
    {
        var length = SequenceLength;
        var arrayBytes = length * sizeof(int);
        var ids = new int[length];
        var labels = new int[length];
        var positions = new int[length];
        var segments = new int[length];
        PackedDatasetFormat.ReadInt32s(bytes[..arrayBytes], ids);
        PackedDatasetFormat.ReadInt32s(bytes.Slice(arrayBytes, arrayBytes), labels);
        PackedDatasetFormat.ReadInt32s(bytes.Slice(2 * arrayBytes, arrayBytes), positions);
        PackedDatasetFormat.ReadInt32s(bytes.Slice(3 * arrayBytes, arrayBytes), segments);
        try
        {
            return new PackedSequence(ids, labels, positions, segments);
        }
        catch (ArgumentException e)
        {
            throw new DataFileException(Path, "holds an invalid sequence: " + e.Message, e);
        }
    }
}
