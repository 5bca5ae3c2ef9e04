using System.Globalization;

namespace Aigc.Data;

/// <summary>What <see cref="CsvScanner.Scan"/> found at the start of the bytes.</summary>
internal enum CsvScanStatus
{
    /// <summary>A complete record.</summary>
    Record,

    /// <summary>The record is not complete yet: read more bytes and scan again.</summary>
    NeedMore,

    /// <summary>The record is malformed (a quote problem); see the error.</summary>
    Malformed,
}

/// <summary>One field of a scanned CSV record: its bytes within the record, and whether they hold <c>""</c> escapes.</summary>
/// <param name="Start">The offset of the field's content (after an opening quote).</param>
/// <param name="Length">The length of the content (without quotes).</param>
/// <param name="Quoted">Whether the field was quoted.</param>
/// <param name="HasEscapes">Whether the content holds doubled quotes to unescape.</param>
internal readonly record struct CsvField(int Start, int Length, bool Quoted, bool HasEscapes);

/// <summary>
/// An RFC 4180 record scanner over UTF-8 bytes: fields separated by a one-byte delimiter, records ended by LF or
/// CRLF, fields optionally quoted with <c>"</c>, quotes doubled inside quoted fields, line breaks allowed inside
/// quoted fields. Like Python's <c>csv</c> module, a quote inside an unquoted field is taken literally. Working on
/// bytes is safe because every structural character is ASCII, which never occurs inside a multi-byte UTF-8 sequence.
/// </summary>
internal static class CsvScanner
{
    /// <summary>Scans one record at the start of <paramref name="data"/>.</summary>
    /// <param name="data">The unconsumed bytes, starting at a record.</param>
    /// <param name="final">Whether no bytes follow <paramref name="data"/> (end of file).</param>
    /// <param name="delimiter">The field delimiter.</param>
    /// <param name="fields">Receives the fields (cleared first).</param>
    /// <param name="consumed">The length of the record including its line end, when complete.</param>
    /// <param name="error">What was malformed.</param>
    /// <returns>Whether a record was found, more bytes are needed, or the record is malformed.</returns>
    public static CsvScanStatus Scan(ReadOnlySpan<byte> data, bool final, byte delimiter, List<CsvField> fields, out int consumed, out string? error)
    {
        fields.Clear();
        consumed = 0;
        error = null;
        var position = 0;
        while (true)
        {
            if (position < data.Length && data[position] == (byte)'"')
            {
                var start = position + 1;
                var index = start;
                var escapes = false;
                while (true)
                {
                    var quote = data[index..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        if (final)
                        {
                            error = string.Create(CultureInfo.InvariantCulture, $"unbalanced quote: the quoted field opened at byte {position} is never closed");
                            return CsvScanStatus.Malformed;
                        }

                        return CsvScanStatus.NeedMore;
                    }

                    index += quote + 1;
                    if (index < data.Length && data[index] == (byte)'"')
                    {
                        escapes = true;
                        index++;
                        continue;
                    }

                    if (index == data.Length && !final)
                    {
                        return CsvScanStatus.NeedMore;
                    }

                    break;
                }

                fields.Add(new CsvField(start, index - 1 - start, Quoted: true, escapes));
                if (index == data.Length)
                {
                    consumed = index;
                    return CsvScanStatus.Record;
                }

                var next = data[index];
                if (next == delimiter)
                {
                    position = index + 1;
                    continue;
                }

                if (next == (byte)'\n')
                {
                    consumed = index + 1;
                    return CsvScanStatus.Record;
                }

                if (next == (byte)'\r')
                {
                    if (index + 1 < data.Length && data[index + 1] == (byte)'\n')
                    {
                        consumed = index + 2;
                        return CsvScanStatus.Record;
                    }

                    if (index + 1 == data.Length)
                    {
                        if (!final)
                        {
                            return CsvScanStatus.NeedMore;
                        }

                        consumed = index + 1;
                        return CsvScanStatus.Record;
                    }
                }

                error = string.Create(CultureInfo.InvariantCulture, $"unbalanced quote: unexpected character after the closing quote at byte {index - 1}");
                return CsvScanStatus.Malformed;
            }

            var stop = data[position..].IndexOfAny(delimiter, (byte)'\n');
            if (stop < 0)
            {
                if (!final)
                {
                    return CsvScanStatus.NeedMore;
                }

                var length = data.Length - position;
                if (length > 0 && data[^1] == (byte)'\r')
                {
                    length--;
                }

                fields.Add(new CsvField(position, length, Quoted: false, HasEscapes: false));
                consumed = data.Length;
                return CsvScanStatus.Record;
            }

            var end = position + stop;
            if (data[end] == delimiter)
            {
                fields.Add(new CsvField(position, stop, Quoted: false, HasEscapes: false));
                position = end + 1;
                continue;
            }

            var fieldLength = stop > 0 && data[end - 1] == (byte)'\r' ? stop - 1 : stop;
            fields.Add(new CsvField(position, fieldLength, Quoted: false, HasEscapes: false));
            consumed = end + 1;
            return CsvScanStatus.Record;
        }
    }
}
