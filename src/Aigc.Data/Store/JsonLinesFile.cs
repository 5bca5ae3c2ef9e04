using System.Buffers;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Appends JSON values to a file, one a line, through one reused <see cref="Utf8JsonWriter"/> and a buffered stream,
/// with characters outside the BMP written as UTF-8 (see <see cref="JsonText"/>).
/// </summary>
internal sealed class JsonLinesFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _unescaped = new(1024);
    private readonly Utf8JsonWriter _writer;
    private bool _disposed;

    public JsonLinesFile(string path)
    {
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new Utf8JsonWriter(_line, DataRecordJson.WriterOptions);
    }

    /// <summary>Gets the writer for the current line; call <see cref="EndLine"/> after writing one value.</summary>
    public Utf8JsonWriter Writer => _writer;

    public void EndLine()
    {
        _writer.Flush();
        _writer.Reset();
        _unescaped.ResetWrittenCount();
        JsonText.CopyUnescapingSurrogatePairs(_line.WrittenSpan, _unescaped);
        _stream.Write(_unescaped.WrittenSpan);
        _stream.WriteByte((byte)'\n');
        _line.ResetWrittenCount();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
    }
}
