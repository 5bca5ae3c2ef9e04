using System.Buffers;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Writes records as JSON Lines in their canonical shapes (<see cref="DataRecordJson"/>): one object a line, UTF-8,
/// non-ASCII text unescaped (emoji and other characters beyond the Basic Multilingual Plane included, which
/// <see cref="System.Text.Json.Utf8JsonWriter"/> alone would write as escaped surrogate pairs), LF line ends. Output
/// is buffered and written in 64 KB chunks.
/// </summary>
public sealed class JsonlRecordWriter : IRecordWriter
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly ArrayBufferWriter<byte> _record = new(1024);
    private readonly Utf8JsonWriter _json;
    private bool _disposed;

    /// <summary>Initializes a writer that creates (or overwrites) a file, creating its folder.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public JsonlRecordWriter(string path)
        : this(RecordFileStreams.Create(path), leaveOpen: false)
    {
    }

    /// <summary>Initializes a writer over a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="leaveOpen">Whether to leave the stream open when the writer is disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public JsonlRecordWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_record, DataRecordJson.WriterOptions);
    }

    /// <summary>Gets how many records were written.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public async ValueTask WriteAsync(DataRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _record.ResetWrittenCount();
        DataRecordJson.Write(_json, record);
        _json.Flush();
        _json.Reset();
        JsonText.CopyUnescapingSurrogatePairs(_record.WrittenSpan, _buffer);
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Count++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await FlushBufferAsync(CancellationToken.None).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            await _json.DisposeAsync().ConfigureAwait(false);
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount > 0)
        {
            await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }
    }
}
