using System.Text.Json;

namespace Aigc.Data;

/// <summary>Appends JSON values to a file, one a line, through one reused <see cref="Utf8JsonWriter"/> and a buffered stream.</summary>
internal sealed class JsonLinesFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private bool _disposed;

    public JsonLinesFile(string path)
    {
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new Utf8JsonWriter(_stream, DataRecordJson.WriterOptions);
    }

    /// <summary>Gets the writer for the current line; call <see cref="EndLine"/> after writing one value.</summary>
    public Utf8JsonWriter Writer => _writer;

    public void EndLine()
    {
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
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
