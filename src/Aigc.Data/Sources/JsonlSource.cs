using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Reads a JSON Lines file (one UTF-8 JSON object a line) and maps each object to a record through a
/// <see cref="RecordSchema"/>, streaming: the file is read through one pooled buffer and each line's bytes are
/// parsed in place, so memory stays bounded by the longest line whatever the file size.
/// </summary>
/// <remarks>
/// <para>
/// Lines are numbered from 1; blank lines are skipped (and not counted as records); a UTF-8 byte order mark and
/// CRLF line ends are accepted. A line that is not valid UTF-8, not valid JSON, not an object, longer than
/// <see cref="MaxRecordBytes"/>, or does not fit the schema is rejected through
/// <see cref="DataStepContext.RejectRaw"/> with its line number, its text (invalid bytes replaced by U+FFFD, cut
/// after 4 KB) and the reason; reading goes on. A file that cannot be opened or read throws
/// <see cref="DataFileException"/>, as does a <c>.json</c> file holding a JSON array rather than JSON Lines.
/// </para>
/// </remarks>
public sealed class JsonlSource : IDataSource
{
    /// <summary>The default largest line accepted: 16 MiB.</summary>
    public const int DefaultMaxRecordBytes = 16 * 1024 * 1024;

    /// <summary>The largest value <see cref="MaxRecordBytes"/> may have: 1 GiB.</summary>
    public const int MaxRecordBytesLimit = 1 << 30;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    private readonly string _fileName;

    /// <summary>Initializes a source over a JSON Lines file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each object maps to a record.</param>
    /// <param name="maxRecordBytes">The longest line accepted, in bytes; longer lines are rejected.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordBytes"/> is not between 1 and <see cref="MaxRecordBytesLimit"/>.</exception>
    public JsonlSource(string path, RecordSchema schema, int maxRecordBytes = DefaultMaxRecordBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRecordBytes, MaxRecordBytesLimit);
        Path = path;
        Schema = schema;
        MaxRecordBytes = maxRecordBytes;
        _fileName = System.IO.Path.GetFileName(path);
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }

    /// <summary>Gets the mapping from JSON objects to records.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Gets the longest line accepted, in bytes (without the line end).</summary>
    /// <value>The default value is <c>16777216</c> (16 MiB).</value>
    public int MaxRecordBytes { get; }

    /// <inheritdoc />
    /// <value><c>read.jsonl</c>.</value>
    public string Id => "read.jsonl";

    /// <inheritdoc />
    public RecordKind Kind => Schema.Kind;

    /// <inheritdoc />
    /// <value>Empty: a file has no dataset parents.</value>
    public IReadOnlyList<DatasetReference> Parents => [];

    /// <inheritdoc />
    /// <exception cref="DataFileException">The file cannot be read.</exception>
    public async ValueTask<string> ComputeFingerprintAsync(CancellationToken cancellationToken = default)
    {
        var content = await DatasetFingerprint.HashFileAsync(Path, cancellationToken).ConfigureAwait(false);
        var parameters = Schema.Parameters
            .Add("file", _fileName)
            .Add("maxRecordBytes", MaxRecordBytes);
        return DatasetFingerprint.Combine(content, Id, 1, parameters);
    }

    /// <inheritdoc />
    /// <exception cref="DataFileException">The file cannot be opened or read, or is a JSON array document.</exception>
    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var checkArray = System.IO.Path.GetExtension(Path).Equals(".json", StringComparison.OrdinalIgnoreCase);
        var reader = ChunkedReader.Open(Path, Math.Max(MaxRecordBytes + 2, 1 << 18));
        await using (reader.ConfigureAwait(false))
        {
            long line = 0;
            var scanned = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var newline = reader.Span[scanned..].IndexOf((byte)'\n');
                int length;
                if (newline >= 0)
                {
                    length = scanned + newline;
                }
                else if (reader.EndOfStream)
                {
                    if (reader.Length == 0)
                    {
                        yield break;
                    }

                    length = reader.Length;
                }
                else if (reader.IsFull)
                {
                    line++;
                    RejectOverlong(context, reader.Span, line);
                    await reader.SkipLineAsync(cancellationToken).ConfigureAwait(false);
                    scanned = 0;
                    continue;
                }
                else
                {
                    scanned = reader.Length;
                    await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                line++;
                var record = ProcessLine(reader.Memory[..length], line, context, ref checkArray);
                reader.Advance(Math.Min(length + 1, reader.Length));
                scanned = 0;
                if (record is not null)
                {
                    yield return record;
                }
            }
        }
    }

    private DataRecord? ProcessLine(ReadOnlyMemory<byte> memory, long line, DataStepContext context, ref bool checkArray)
    {
        var span = memory.Span;
        if (line == 1 && span.StartsWith("\uFEFF"u8))
        {
            memory = memory[3..];
            span = memory.Span;
        }

        if (span.Length > 0 && span[^1] == (byte)'\r')
        {
            memory = memory[..^1];
            span = memory.Span;
        }

        if (RawText.IsBlank(span))
        {
            return null;
        }

        if (checkArray)
        {
            checkArray = false;
            if (span[span.IndexOfAnyExcept((byte)' ', (byte)'\t')] == (byte)'[')
            {
                throw new DataFileException(Path, "starts with '[': it looks like a JSON array document, not JSON Lines. Write one JSON object per line.", null);
            }
        }

        if (span.Length > MaxRecordBytes)
        {
            RejectOverlong(context, span, line);
            return null;
        }

        var invalid = RawText.FindInvalidUtf8(span);
        if (invalid >= 0)
        {
            Reject(context, span, string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 at byte {invalid}"), line);
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(memory, DocumentOptions);
        }
        catch (JsonException e)
        {
            Reject(context, span, DescribeJsonError(e), line);
            return null;
        }

        using (document)
        {
            var record = JsonRecordMapper.Map(document.RootElement, Schema, _fileName, line, out var reason);
            if (record is null)
            {
                Reject(context, span, reason!, line);
                return null;
            }

            record.Source = new RecordSource(Path, line);
            return record;
        }
    }

    private void RejectOverlong(DataStepContext context, ReadOnlySpan<byte> span, long line) =>
        Reject(context, span, string.Create(CultureInfo.InvariantCulture, $"line is longer than the maximum of {MaxRecordBytes} bytes"), line);

    private void Reject(DataStepContext context, ReadOnlySpan<byte> span, string reason, long line) =>
        context.RejectRaw(RawText.ForReject(span), reason, new RecordSource(Path, line));

    /// <summary>Turns a <see cref="JsonException"/> into a reason: its message without the position suffix, plus the byte.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The reason.</returns>
    internal static string DescribeJsonError(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        return exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"invalid JSON at byte {position}: {message}")
            : "invalid JSON: " + message;
    }
}
