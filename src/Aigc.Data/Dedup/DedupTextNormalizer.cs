using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Hashes a record's text (its fields joined with <c>\n</c>, as <see cref="DataRecord.GetText"/> does) after a
/// <see cref="DedupNormalization"/>, into one pooled buffer: no normalised string is allocated, except by the NFC
/// step for text that is not already in form C.
/// </summary>
internal sealed class DedupTextNormalizer : IDisposable
{
    private readonly DedupNormalization _normalization;
    private char[] _buffer;

    public DedupTextNormalizer(DedupNormalization normalization, int initialCapacity = 4096)
    {
        _normalization = normalization;
        _buffer = ArrayPool<char>.Shared.Rent(initialCapacity);
    }

    /// <summary>Returns the XxHash128 of the record's normalised text (UTF-16 code units).</summary>
    public UInt128 Hash(DataRecord record)
    {
        var length = Normalize(record);
        return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(_buffer.AsSpan(0, length)));
    }

    /// <summary>Returns the record's normalised text (for tests and diagnostics).</summary>
    public string NormalizeToString(DataRecord record)
    {
        var length = Normalize(record);
        return new string(_buffer, 0, length);
    }

    /// <summary>Describes normalisation flags in a fixed form for step parameters, for example <c>nfc,lower,collapse,trim</c>.</summary>
    public static string Describe(DedupNormalization normalization)
    {
        if (normalization == DedupNormalization.None)
        {
            return "none";
        }

        var parts = new List<string>(4);
        if ((normalization & DedupNormalization.Nfc) != 0)
        {
            parts.Add("nfc");
        }

        if ((normalization & DedupNormalization.LowerCase) != 0)
        {
            parts.Add("lower");
        }

        if ((normalization & DedupNormalization.CollapseWhitespace) != 0)
        {
            parts.Add("collapse");
        }

        if ((normalization & DedupNormalization.Trim) != 0)
        {
            parts.Add("trim");
        }

        return string.Join(',', parts);
    }

    /// <summary>Writes the record's normalised text into the buffer and returns its length.</summary>
    public int Normalize(DataRecord record)
    {
        var fields = record.Fields;
        var length = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            var value = fields[i].Value;
            if ((_normalization & DedupNormalization.Nfc) != 0)
            {
                value = DedupUnicode.Normalize(value, NormalizationForm.FormC);
            }

            EnsureCapacity(length + value.Length + 1);
            if (i > 0)
            {
                _buffer[length++] = '\n';
            }

            var target = _buffer.AsSpan(length, value.Length);
            if ((_normalization & DedupNormalization.LowerCase) != 0)
            {
                value.AsSpan().ToLowerInvariant(target);
            }
            else
            {
                value.AsSpan().CopyTo(target);
            }

            length += value.Length;
        }

        return Squeeze(_buffer.AsSpan(0, length), _normalization);
    }

    /// <summary>Collapses white-space runs and trims in place, as the flags ask; returns the new length.</summary>
    internal static int Squeeze(Span<char> text, DedupNormalization normalization)
    {
        var collapse = (normalization & DedupNormalization.CollapseWhitespace) != 0;
        var trim = (normalization & DedupNormalization.Trim) != 0;
        if (!collapse && !trim)
        {
            return text.Length;
        }

        if (!collapse)
        {
            var start = 0;
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            var end = text.Length;
            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            text[start..end].CopyTo(text);
            return end - start;
        }

        var written = 0;
        var pendingSpace = false;
        for (var read = 0; read < text.Length; read++)
        {
            var c = text[read];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && (written > 0 || !trim))
            {
                text[written++] = ' ';
            }

            pendingSpace = false;
            text[written++] = c;
        }

        if (pendingSpace && !trim)
        {
            text[written++] = ' ';
        }

        return written;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan().CopyTo(larger);
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
