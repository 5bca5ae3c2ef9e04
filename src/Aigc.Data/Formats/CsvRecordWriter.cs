using System.Buffers;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Writes records as RFC 4180 CSV (UTF-8 without a byte order mark, CRLF row ends, fields quoted when they hold the
/// delimiter, a quote, CR or LF, quotes doubled). The header is <c>id</c>, the canonical columns of the kind
/// (<c>text</c>; <c>instruction,input,output</c>; <c>messages</c>; <c>prompt,chosen,rejected</c>;
/// <c>image,caption</c>), then <c>labels</c> and <c>metadata</c>.
/// </summary>
/// <remarks>
/// Chat messages are written as a JSON array of <c>{"role","content"}</c> in the <c>messages</c> column, labels and
/// metadata as JSON objects (an empty cell when a record has none), so <see cref="CsvSource"/> with
/// <see cref="RecordSchema.ForKind"/> reads every kind back. Fields other than the kind's canonical ones are not written.
/// </remarks>
public sealed class CsvRecordWriter : IRecordWriter
{
    private const int FlushThreshold = 1 << 16;
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string[] _columns;
    private readonly StringBuilder _text = new(1024);
    private readonly ArrayBufferWriter<byte> _bytes = new(FlushThreshold * 2);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private readonly ArrayBufferWriter<byte> _unescaped = new(256);
    private readonly Encoder _encoder = Utf8NoBom.GetEncoder();
    private bool _disposed;

    /// <summary>Initializes a writer that creates (or overwrites) a comma-separated file, creating its folder.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public CsvRecordWriter(string path, RecordKind kind)
        : this(path, kind, ',')
    {
    }

    /// <summary>Initializes a writer that creates (or overwrites) a file, creating its folder.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="delimiter">The field delimiter, an ASCII character other than <c>"</c>, CR and LF.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or <paramref name="delimiter"/> is not allowed.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public CsvRecordWriter(string path, RecordKind kind, char delimiter)
        : this(RecordFileStreams.Create(path), kind, delimiter, leaveOpen: false)
    {
    }

    /// <summary>Initializes a writer over a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="kind">The kind of the records.</param>
    /// <param name="delimiter">The field delimiter, an ASCII character other than <c>"</c>, CR and LF.</param>
    /// <param name="leaveOpen">Whether to leave the stream open when the writer is disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable, or <paramref name="delimiter"/> is not allowed.</exception>
    public CsvRecordWriter(Stream stream, RecordKind kind, char delimiter, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        if (delimiter > 127 || delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException("The delimiter must be an ASCII character other than a quote, CR or LF.", nameof(delimiter));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Kind = kind;
        Delimiter = delimiter;
        _columns = CanonicalColumns.For(kind);
        AppendField(RecordSchema.DefaultIdField);
        foreach (var column in _columns)
        {
            _text.Append(delimiter);
            AppendField(column);
        }

        _text.Append(delimiter);
        AppendField(RecordSchema.DefaultLabelsField);
        _text.Append(delimiter);
        AppendField(RecordSchema.DefaultMetadataField);
        EndRow();
    }

    /// <summary>Gets the kind of the records written.</summary>
    public RecordKind Kind { get; }

    /// <summary>Gets the field delimiter.</summary>
    /// <value>The default value is <c>,</c>.</value>
    public char Delimiter { get; }

    /// <summary>Gets how many records were written.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record is not of the writer's kind.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public async ValueTask WriteAsync(DataRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CanonicalColumns.CheckKind(record, Kind);
        AppendField(record.Id);
        foreach (var column in _columns)
        {
            _text.Append(Delimiter);
            AppendField(Kind == RecordKind.Chat ? CanonicalColumns.MessagesJson(record, _scratch, _unescaped) : CanonicalColumns.Value(record, column));
        }

        _text.Append(Delimiter);
        AppendField(CanonicalColumns.MapJson(record.HasLabels, record.Labels, _scratch, _unescaped) ?? string.Empty);
        _text.Append(Delimiter);
        AppendField(CanonicalColumns.MapJson(record.HasMetadata, record.Metadata, _scratch, _unescaped) ?? string.Empty);
        EndRow();
        Count++;
        if (_bytes.WrittenCount >= FlushThreshold)
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
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void AppendField(string value)
    {
        if (value.AsSpan().IndexOfAny(Delimiter, '"', '\r') < 0 && !value.Contains('\n', StringComparison.Ordinal))
        {
            _text.Append(value);
            return;
        }

        _text.Append('"');
        foreach (var c in value)
        {
            if (c == '"')
            {
                _text.Append('"');
            }

            _text.Append(c);
        }

        _text.Append('"');
    }

    private void EndRow()
    {
        // The row ends with CRLF, so no surrogate pair is left pending in the encoder between rows.
        _text.Append("\r\n");
        foreach (var chunk in _text.GetChunks())
        {
            var span = chunk.Span;
            var written = _encoder.GetBytes(span, _bytes.GetSpan(Utf8NoBom.GetMaxByteCount(span.Length)), flush: false);
            _bytes.Advance(written);
        }

        _text.Clear();
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_bytes.WrittenCount > 0)
        {
            await _stream.WriteAsync(_bytes.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _bytes.ResetWrittenCount();
        }
    }
}
