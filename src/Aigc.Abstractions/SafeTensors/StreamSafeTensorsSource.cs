namespace Aigc;

/// <summary>
/// Reads safetensors content from a seekable stream, starting at the position the stream had when it was opened.
/// Reads are serialized, because they move the stream's position.
/// </summary>
internal sealed class StreamSafeTensorsSource : SafeTensorsSource
{
    private readonly Stream _stream;
    private readonly long _origin;
    private readonly bool _leaveOpen;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Initializes a new instance of the <see cref="StreamSafeTensorsSource"/> class.</summary>
    /// <param name="stream">A readable, seekable stream positioned at the start of the content.</param>
    /// <param name="leaveOpen">Whether disposing leaves the stream open.</param>
    public StreamSafeTensorsSource(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _origin = stream.Position;
        _leaveOpen = leaveOpen;
        Length = stream.Length - _origin;
    }

    /// <inheritdoc/>
    public override string? FilePath => (_stream as FileStream)?.Name;

    /// <inheritdoc/>
    public override long Length { get; }

    /// <inheritdoc/>
    public override int ReadAt(long offset, Span<byte> buffer)
    {
        _gate.Wait();
        try
        {
            _stream.Position = _origin + offset;
            return _stream.Read(buffer);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stream.Position = _origin + offset;
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }

            _gate.Dispose();
        }
    }
}
