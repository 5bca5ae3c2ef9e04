using System.Buffers;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// A temporary JSONL file that holds the records between the two passes of <see cref="MinHashDedupStep"/>: each
/// line is <c>{"k":kind,"f":file,"l":line,"r":record}</c> with the record in its <see cref="DataRecordJson"/> form and
/// its kind and source next to it, so a record comes back exactly as it went in. The file is opened with
/// <see cref="FileOptions.DeleteOnClose"/> and deleted again on dispose, whatever ended the run.
/// </summary>
internal sealed class MinHashSpillFile : IAsyncDisposable
{
    private const int FlushBytes = 1 << 20;
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 16 };

    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _pending = new(FlushBytes + (FlushBytes / 4));
    private readonly Utf8JsonWriter _writer;
    private byte[] _readBuffer = [];
    private int _readStart;
    private int _readEnd;
    private bool _endOfFile;

    private MinHashSpillFile(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        _writer = new Utf8JsonWriter(_pending, DataRecordJson.WriterOptions);
    }

    /// <summary>Gets the file's path.</summary>
    public string Path { get; }

    /// <summary>Creates a new spill file in <paramref name="directory"/> (created when missing).</summary>
    public static MinHashSpillFile Create(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $"minhash-{Guid.NewGuid():N}.spill.jsonl");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        return new MinHashSpillFile(path, stream);
    }

    /// <summary>Appends a record.</summary>
    public ValueTask WriteAsync(DataRecord record, CancellationToken cancellationToken)
    {
        _writer.Reset(_pending);
        _writer.WriteStartObject();
        _writer.WriteNumber("k", (int)record.Kind);
        if (record.Source is { } source)
        {
            _writer.WriteString("f", source.File);
            _writer.WriteNumber("l", source.Line);
        }

        _writer.WritePropertyName("r");
        DataRecordJson.Write(_writer, record);
        _writer.WriteEndObject();
        _writer.Flush();
        _pending.Write("\n"u8);
        return _pending.WrittenCount >= FlushBytes ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Writes what is pending and rewinds the file for reading.</summary>
    public async ValueTask StartReadingAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Position = 0;
        _readBuffer = ArrayPool<byte>.Shared.Rent(FlushBytes);
        _readStart = 0;
        _readEnd = 0;
        _endOfFile = false;
    }

    /// <summary>Reads the next record, or <see langword="null"/> at the end of the file.</summary>
    public async ValueTask<DataRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _readBuffer.AsSpan(_readStart, _readEnd - _readStart).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _readBuffer.AsMemory(_readStart, newline);
                _readStart += newline + 1;
                return ParseLine(line);
            }

            if (_endOfFile)
            {
                if (_readEnd > _readStart)
                {
                    throw new InvalidDataException($"The MinHash spill file '{Path}' ends in the middle of a record; it was changed while the step ran.");
                }

                return null;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }

        var buffer = _readBuffer;
        _readBuffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DataRecord ParseLine(ReadOnlyMemory<byte> line)
    {
        using var document = JsonDocument.Parse(line, ReadOptions);
        var root = document.RootElement;
        var record = DataRecordJson.FromElement(root.GetProperty("r"), (RecordKind)root.GetProperty("k").GetInt32());
        if (root.TryGetProperty("f", out var file))
        {
            record.Source = new RecordSource(file.GetString()!, root.GetProperty("l").GetInt64());
        }

        return record;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_readStart > 0)
        {
            _readBuffer.AsSpan(_readStart, _readEnd - _readStart).CopyTo(_readBuffer);
            _readEnd -= _readStart;
            _readStart = 0;
        }

        if (_readEnd == _readBuffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_readBuffer.Length * 2);
            _readBuffer.AsSpan(0, _readEnd).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_readBuffer);
            _readBuffer = larger;
        }

        var read = await _stream.ReadAsync(_readBuffer.AsMemory(_readEnd), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfFile = true;
        }

        _readEnd += read;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        await _stream.WriteAsync(_pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _pending.ResetWrittenCount();
    }
}
