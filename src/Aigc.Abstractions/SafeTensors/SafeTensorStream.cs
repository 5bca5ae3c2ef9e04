namespace Aigc;

/// <summary>A read-only, seekable view of one tensor's bytes.</summary>
internal sealed class SafeTensorStream : Stream
{
    private readonly SafeTensorsSource _source;
    private readonly long _start;
    private readonly string _name;
    private long _position;

    /// <summary>Initializes a new instance of the <see cref="SafeTensorStream"/> class.</summary>
    /// <param name="source">The file's bytes (not owned).</param>
    /// <param name="start">Where the tensor starts in the file.</param>
    /// <param name="length">The tensor's byte length.</param>
    /// <param name="name">The tensor name, for messages.</param>
    public SafeTensorStream(SafeTensorsSource source, long start, long length, string name)
    {
        _source = source;
        _start = start;
        Length = length;
        _name = name;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length { get; }

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The position cannot be negative.");
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, Math.Max(0, Length - _position));
        if (n == 0)
        {
            return 0;
        }

        var read = _source.ReadAt(_start + _position, buffer[..n]);
        Advance(read);
        return read;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = (int)Math.Min(buffer.Length, Math.Max(0, Length - _position));
        if (n == 0)
        {
            return 0;
        }

        var read = await _source.ReadAtAsync(_start + _position, buffer[..n], cancellationToken).ConfigureAwait(false);
        Advance(read);
        return read;
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown seek origin."),
        };
        Position = target;
        return target;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("A tensor stream is read-only.");

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A tensor stream is read-only.");

    private void Advance(int read)
    {
        if (read <= 0)
        {
            throw new SafeTensorsFormatException(_source.FilePath, _name,
                "the file ended before the tensor's last byte; it was truncated or changed after it was opened");
        }

        _position += read;
    }
}
