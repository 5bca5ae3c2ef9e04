using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Aigc.Data;

/// <summary>
/// Reads a CSV file (RFC 4180, UTF-8) and maps each row to a record through a <see cref="RecordSchema"/>, streaming
/// through one pooled buffer. Fields may be quoted (<c>"a, b"</c>), quotes inside quoted fields are doubled
/// (<c>""</c>), quoted fields may hold line breaks, and rows may end with LF or CRLF.
/// </summary>
/// <remarks>
/// <para>
/// Columns are found by header name (or, without a header, named <c>0</c>, <c>1</c>, … by position, the first row
/// fixing how many there are). A header that
/// lacks a column the schema needs throws <see cref="DataFileException"/> naming the file and the column. Every cell
/// is text: chat schemas read the messages column as a JSON array (<c>[{"role":…,"content":…}]</c>, or the
/// ShareGPT shape), and the labels and metadata columns as JSON objects of strings (an empty cell means none).
/// An empty id cell gives the id <c>&lt;file name&gt;:&lt;line&gt;</c>; empty extra-field cells are skipped.
/// </para>
/// <para>
/// A record's line is the line it starts on; blank lines are skipped. A row that does not fit the schema (a bad
/// chat cell, invalid UTF-8) is rejected whole. A malformed row — an unbalanced quote (a quoted field never
/// closed, or text after a closing quote), a field count different from the header's, or a row longer than
/// <see cref="MaxRecordBytes"/> — is resynchronised: only its first physical line is rejected, with the reason, and
/// parsing resumes at the next line. A stray quote therefore costs the line it is on instead of swallowing the rest
/// of the file; the price is that a genuinely multi-line row with the wrong field count is also split into lines.
/// </para>
/// </remarks>
public sealed class CsvSource : IDataSource
{
    private readonly string _fileName;
    private readonly byte _delimiter;

    /// <summary>Initializes a source over a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">How each row maps to a record.</param>
    /// <param name="delimiter">The field delimiter, an ASCII character other than <c>"</c>, CR and LF.</param>
    /// <param name="hasHeader">Whether the first row names the columns.</param>
    /// <param name="maxRecordBytes">The longest row accepted, in bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or <paramref name="delimiter"/> is not allowed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordBytes"/> is not between 1 and <see cref="JsonlSource.MaxRecordBytesLimit"/>.</exception>
    public CsvSource(string path, RecordSchema schema, char delimiter = ',', bool hasHeader = true, int maxRecordBytes = JsonlSource.DefaultMaxRecordBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRecordBytes, JsonlSource.MaxRecordBytesLimit);
        if (delimiter > 127 || delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException("The delimiter must be an ASCII character other than a quote, CR or LF.", nameof(delimiter));
        }

        Path = path;
        Schema = schema;
        Delimiter = delimiter;
        HasHeader = hasHeader;
        MaxRecordBytes = maxRecordBytes;
        _delimiter = (byte)delimiter;
        _fileName = System.IO.Path.GetFileName(path);
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }

    /// <summary>Gets the mapping from rows to records.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Gets the field delimiter.</summary>
    /// <value>The default value is <c>,</c>.</value>
    public char Delimiter { get; }

    /// <summary>Gets whether the first row names the columns.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool HasHeader { get; }

    /// <summary>Gets the longest row accepted, in bytes.</summary>
    /// <value>The default value is <c>16777216</c> (16 MiB).</value>
    public int MaxRecordBytes { get; }

    /// <inheritdoc />
    /// <value><c>read.csv</c>.</value>
    public string Id => "read.csv";

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
            .Add("delimiter", Delimiter.ToString())
            .Add("hasHeader", HasHeader)
            .Add("maxRecordBytes", MaxRecordBytes);
        return DatasetFingerprint.Combine(content, Id, 1, parameters);
    }

    /// <inheritdoc />
    /// <exception cref="DataFileException">The file cannot be opened or read, its header is missing or malformed, or lacks a column the schema needs.</exception>
    public async IAsyncEnumerable<DataRecord> ReadAsync(DataStepContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = ChunkedReader.Open(Path, Math.Max(MaxRecordBytes + 2, 1 << 18));
        await using (reader.ConfigureAwait(false))
        {
            var fields = new List<CsvField>();
            CsvColumnMap? map = null;
            long line = 1;
            var start = true;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (start)
                {
                    if (reader.Length < 3 && !reader.EndOfStream)
                    {
                        await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    start = false;
                    if (reader.Span.StartsWith("\uFEFF"u8))
                    {
                        reader.Advance(3);
                    }
                }

                switch (SkipBlank(reader, ref line))
                {
                    case BlankResult.Skipped:
                        continue;
                    case BlankResult.NeedMore:
                        await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    case BlankResult.End:
                        if (map is null && HasHeader)
                        {
                            throw new DataFileException(Path, "is empty: expected a header row naming the columns", null);
                        }

                        yield break;
                }

                var status = CsvScanner.Scan(reader.Span, reader.EndOfStream, _delimiter, fields, out var consumed, out var error);
                if (status == CsvScanStatus.NeedMore)
                {
                    if (!reader.IsFull)
                    {
                        await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    status = CsvScanStatus.Malformed;
                    error = string.Create(CultureInfo.InvariantCulture, $"record is longer than the maximum of {MaxRecordBytes} bytes (an unbalanced quote?)");
                }

                if (map is null)
                {
                    if (HasHeader)
                    {
                        map = ReadHeader(reader.Span, status, consumed, fields, error);
                        line += reader.Span[..consumed].Count((byte)'\n');
                        reader.Advance(consumed);
                        continue;
                    }

                    if (status == CsvScanStatus.Record)
                    {
                        map = CsvColumnMap.Create(Path, Schema, CsvColumnMap.PositionalNames(fields.Count));
                    }
                }

                if (status == CsvScanStatus.Malformed || fields.Count != map!.ColumnCount)
                {
                    var reason = status == CsvScanStatus.Malformed
                        ? error!
                        : string.Create(CultureInfo.InvariantCulture, $"expected {map!.ColumnCount} fields, found {fields.Count}");
                    if (RejectFirstLine(reader, context, reason, line))
                    {
                        await reader.SkipLineAsync(cancellationToken).ConfigureAwait(false);
                    }

                    line++;
                    continue;
                }

                var record = consumed > MaxRecordBytes
                    ? RejectWhole(reader.Span[..consumed], context, string.Create(CultureInfo.InvariantCulture, $"record is longer than the maximum of {MaxRecordBytes} bytes"), line)
                    : MapRecord(reader.Span[..consumed], fields, map, line, context);
                line += reader.Span[..consumed].Count((byte)'\n');
                reader.Advance(consumed);
                if (record is not null)
                {
                    yield return record;
                }
            }
        }
    }

    private static BlankResult SkipBlank(ChunkedReader reader, ref long line)
    {
        var span = reader.Span;
        if (span.Length == 0)
        {
            return reader.EndOfStream ? BlankResult.End : BlankResult.NeedMore;
        }

        if (span[0] == (byte)'\n')
        {
            reader.Advance(1);
            line++;
            return BlankResult.Skipped;
        }

        if (span[0] == (byte)'\r')
        {
            if (span.Length == 1)
            {
                if (!reader.EndOfStream)
                {
                    return BlankResult.NeedMore;
                }

                reader.Advance(1);
                return BlankResult.Skipped;
            }

            if (span[1] == (byte)'\n')
            {
                reader.Advance(2);
                line++;
                return BlankResult.Skipped;
            }
        }

        return BlankResult.Record;
    }

    private CsvColumnMap ReadHeader(ReadOnlySpan<byte> data, CsvScanStatus status, int consumed, List<CsvField> fields, string? error)
    {
        if (status != CsvScanStatus.Record)
        {
            throw new DataFileException(Path, "the header row is malformed: " + error, null);
        }

        var record = data[..consumed];
        var names = new string[fields.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = DecodeField(record, fields[i], out var invalid)
                ?? throw new DataFileException(Path, string.Create(CultureInfo.InvariantCulture, $"the header row has invalid UTF-8 in column {i}, at byte {invalid}"), null);
        }

        return CsvColumnMap.Create(Path, Schema, names);
    }

    /// <summary>Rejects the first physical line of the bytes and consumes it.</summary>
    /// <returns><see langword="true"/> when the line's end is not in the buffer yet and the rest of it must be skipped.</returns>
    private bool RejectFirstLine(ChunkedReader reader, DataStepContext context, string reason, long line)
    {
        var span = reader.Span;
        var newline = span.IndexOf((byte)'\n');
        var text = newline >= 0 ? span[..newline] : span;
        if (text.Length > 0 && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }

        context.RejectRaw(RawText.ForReject(text), reason, new RecordSource(Path, line));
        if (newline >= 0)
        {
            reader.Advance(newline + 1);
            return false;
        }

        reader.Advance(span.Length);
        return !reader.EndOfStream;
    }

    private DataRecord? MapRecord(ReadOnlySpan<byte> record, List<CsvField> fields, CsvColumnMap map, long line, DataStepContext context)
    {
        var result = TryMap(record, fields, map, line, out var reason);
        if (result is null)
        {
            return RejectWhole(record, context, reason!, line);
        }

        result.Source = new RecordSource(Path, line);
        return result;
    }

    private DataRecord? RejectWhole(ReadOnlySpan<byte> record, DataStepContext context, string reason, long line)
    {
        var text = record;
        while (text.Length > 0 && (text[^1] == (byte)'\n' || text[^1] == (byte)'\r'))
        {
            text = text[..^1];
        }

        context.RejectRaw(RawText.ForReject(text), reason, new RecordSource(Path, line));
        return null;
    }

    private DataRecord? TryMap(ReadOnlySpan<byte> record, List<CsvField> fields, CsvColumnMap map, long line, out string? reason)
    {
        string? id = null;
        if (map.Id >= 0)
        {
            if (!TryCell(record, fields, map.Id, Schema.IdField!, out id, out reason))
            {
                return null;
            }

            if (id!.Length == 0)
            {
                id = null;
            }
        }

        var result = new DataRecord(Schema.Kind, id ?? JsonRecordMapper.DefaultId(_fileName, line));
        var canonical = RecordSchema.CanonicalNames(Schema.Kind);
        for (var i = 0; i < map.Fields.Length; i++)
        {
            if (map.Fields[i] < 0)
            {
                result.AddField(canonical[i], string.Empty);
                continue;
            }

            if (!TryCell(record, fields, map.Fields[i], map.FieldNames[i], out var value, out reason))
            {
                return null;
            }

            switch (Schema.Kind)
            {
                case RecordKind.Chat:
                    if (!ReadMessagesCell(value!, map.FieldNames[i], result, out reason))
                    {
                        return null;
                    }

                    break;
                case RecordKind.ImageCaption when i == 0:
                    result.ImagePath = value;
                    break;
                default:
                    result.AddField(canonical[i], value!);
                    break;
            }
        }

        if (!ReadMapCell(record, fields, map.Labels, Schema.LabelsField, result.Labels, out reason)
            || !ReadMapCell(record, fields, map.Metadata, Schema.MetadataField, result.Metadata, out reason))
        {
            return null;
        }

        for (var i = 0; i < map.Extras.Length; i++)
        {
            if (map.Extras[i] < 0)
            {
                continue;
            }

            if (!TryCell(record, fields, map.Extras[i], Schema.ExtraFields[i], out var extra, out reason))
            {
                return null;
            }

            if (extra!.Length > 0)
            {
                result.Metadata[Schema.ExtraFields[i]] = extra;
            }
        }

        reason = null;
        return result;
    }

    private bool ReadMessagesCell(string cell, string column, DataRecord record, out string? reason)
    {
        if (cell.Length == 0)
        {
            reason = $"column '{column}' is empty; it must hold a JSON array of messages";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(cell);
            return JsonRecordMapper.ReadMessages(document.RootElement, Schema, record, out reason);
        }
        catch (JsonException e)
        {
            reason = $"column '{column}' must hold a JSON array of messages: {JsonlSource.DescribeJsonError(e)}";
            return false;
        }
    }

    private static bool ReadMapCell(ReadOnlySpan<byte> record, List<CsvField> fields, int column, string? name, IDictionary<string, string> target, out string? reason)
    {
        reason = null;
        if (column < 0)
        {
            return true;
        }

        if (!TryCell(record, fields, column, name!, out var cell, out reason))
        {
            return false;
        }

        if (cell!.Length == 0)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(cell);
            return JsonRecordMapper.ReadStringMap(document.RootElement, target, name!, out reason);
        }
        catch (JsonException e)
        {
            reason = $"column '{name}' must hold a JSON object of strings: {JsonlSource.DescribeJsonError(e)}";
            return false;
        }
    }

    private static bool TryCell(ReadOnlySpan<byte> record, List<CsvField> fields, int column, string name, out string? value, out string? reason)
    {
        value = DecodeField(record, fields[column], out var invalid);
        if (value is null)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"column '{name}' has invalid UTF-8 at byte {invalid}");
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>Decodes a field, unescaping doubled quotes; returns <see langword="null"/> when it is not valid UTF-8.</summary>
    private static string? DecodeField(ReadOnlySpan<byte> record, CsvField field, out int invalid)
    {
        var raw = record.Slice(field.Start, field.Length);
        if (!field.HasEscapes)
        {
            invalid = RawText.FindInvalidUtf8(raw);
            return invalid >= 0 ? null : Encoding.UTF8.GetString(raw);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                buffer[length++] = raw[i];
                if (raw[i] == (byte)'"')
                {
                    i++;
                }
            }

            var unescaped = buffer.AsSpan(0, length);
            invalid = RawText.FindInvalidUtf8(unescaped);
            return invalid >= 0 ? null : Encoding.UTF8.GetString(unescaped);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum BlankResult
    {
        Record,
        Skipped,
        NeedMore,
        End,
    }
}
