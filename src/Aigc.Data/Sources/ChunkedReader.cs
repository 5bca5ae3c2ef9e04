using System.Buffers;

namespace Aigc.Data;

/// <summary>
/// Reads a file in chunks into one pooled buffer that holds the unconsumed bytes: the readers look at
/// <see cref="Span"/>, consume with <see cref="Advance"/>, and call <see cref="ReadMoreAsync"/> when a record is not
/// complete yet. The buffer grows (doubling) up to a limit, so memory stays bounded by the largest record.
/// </summary>
internal sealed class ChunkedReader : IAsyncDisposable
{
    private const int InitialSize = 256 * 1024;
    private readonly Stream _stream;
    private readonly string _path;
    private readonly int _limit;
    private byte[] _buffer;
    private int _start;
    private int _end;

    private ChunkedReader(Stream stream, string path, int limit)
    {
        _stream = stream;
        _path = path;
        _limit = limit;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, limit));
    }

    /// <summary>Gets the unconsumed bytes.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Gets the unconsumed bytes as memory (valid until the next <see cref="ReadMoreAsync"/>).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(_start, _end - _start);

    /// <summary>Gets how many unconsumed bytes there are.</summary>
    public int Length => _end - _start;

    /// <summary>Gets whether the end of the file was reached (no more bytes will come).</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Gets whether the unconsumed bytes reached the buffer limit (no more can be read before consuming).</summary>
    public bool IsFull => Length >= _limit;

    /// <summary>Opens a file for sequential reading.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">The most bytes the buffer holds.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="DataFileException">The file cannot be opened.</exception>
    public static ChunkedReader Open(string path, int limit)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return new ChunkedReader(stream, path, limit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DataFileException)
        {
            throw new DataFileException(path, "cannot be opened: " + e.Message, e);
        }
    }

    /// <summary>Consumes bytes.</summary>
    /// <param name="count">How many.</param>
    public void Advance(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>
    /// Reads more bytes after the unconsumed ones, growing the buffer when it is full (up to the limit).
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="false"/> when the file ended (then <see cref="EndOfStream"/> is set).</returns>
    /// <exception cref="InvalidOperationException">The buffer is already at its limit (<see cref="IsFull"/>).</exception>
    /// <exception cref="DataFileException">The file cannot be read.</exception>
    public async ValueTask<bool> ReadMoreAsync(CancellationToken cancellationToken)
    {
        if (EndOfStream)
        {
            return false;
        }

        if (IsFull)
        {
            throw new InvalidOperationException("The read buffer is full; consume bytes first.");
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _limit));
            Buffer.BlockCopy(_buffer, 0, grown, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }

        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end, Math.Min(_buffer.Length, _limit) - _end), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DataFileException)
        {
            throw new DataFileException(_path, "cannot be read: " + e.Message, e);
        }

        if (read == 0)
        {
            EndOfStream = true;
            return false;
        }

        _end += read;
        return true;
    }

    /// <summary>
    /// Consumes bytes up to and including the next line feed, reading as needed (used to skip the rest of a line
    /// that is too long to hold).
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the line is skipped.</returns>
    public async ValueTask SkipLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = Span.IndexOf((byte)'\n');
            if (index >= 0)
            {
                Advance(index + 1);
                return;
            }

            Advance(Length);
            if (!await ReadMoreAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
