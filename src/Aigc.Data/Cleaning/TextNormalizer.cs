using System.Buffers;
using System.Globalization;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// The character pass of <see cref="NormalizeTextStep"/>: removes control and format characters, collapses white
/// space, handles line breaks, trims, then composes to NFC. One pass over a pooled buffer; returns the input instance
/// when nothing changed.
/// </summary>
internal static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="newlines">What to do with line breaks.</param>
    /// <param name="keepJoiners">Whether U+200C and U+200D are kept.</param>
    /// <returns>The normalized text (the same instance when it was already normalized).</returns>
    public static string Normalize(string text, NewlineHandling newlines, bool keepJoiners)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = Collapse(text, buffer, newlines, keepJoiners);
            var result = length == text.Length && buffer.AsSpan(0, length).SequenceEqual(text) ? text : new string(buffer, 0, length);
            return result.IsNormalized(NormalizationForm.FormC) ? result : result.Normalize(NormalizationForm.FormC);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int Collapse(ReadOnlySpan<char> text, Span<char> output, NewlineHandling newlines, bool keepJoiners)
    {
        var n = 0;
        var pendingNewlines = 0;
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                if (c > ' ' && c != '\u007F')
                {
                    Emit(output, ref n, ref pendingNewlines, ref pendingSpace, newlines, c);
                }
                else if (c is ' ' or '\t')
                {
                    pendingSpace = true;
                }
                else if (c is '\n' or '\v' or '\f' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
                {
                    pendingNewlines++;
                }

                // Other C0 controls, DEL and the \r of \r\n are dropped.
                continue;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    var category = Rune.GetUnicodeCategory(new Rune(c, text[i + 1]));
                    if (category != UnicodeCategory.Format)
                    {
                        Emit(output, ref n, ref pendingNewlines, ref pendingSpace, newlines, c);
                        output[n++] = text[i + 1];
                    }

                    i++;
                }

                continue;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.SpaceSeparator:
                    pendingSpace = true;
                    break;
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    pendingNewlines++;
                    break;
                case UnicodeCategory.Control:
                    if (c == '\u0085')
                    {
                        pendingNewlines++;
                    }

                    break;
                case UnicodeCategory.Format:
                    if (keepJoiners && c is '\u200C' or '\u200D')
                    {
                        Emit(output, ref n, ref pendingNewlines, ref pendingSpace, newlines, c);
                    }

                    break;
                case UnicodeCategory.Surrogate:
                    // A low surrogate without its high half: not a character, dropped.
                    break;
                default:
                    Emit(output, ref n, ref pendingNewlines, ref pendingSpace, newlines, c);
                    break;
            }
        }

        return n;
    }

    private static void Emit(Span<char> output, ref int n, ref int pendingNewlines, ref bool pendingSpace, NewlineHandling newlines, char c)
    {
        if (n > 0)
        {
            if (pendingNewlines > 0)
            {
                switch (newlines)
                {
                    case NewlineHandling.KeepLines:
                        output[n++] = '\n';
                        if (pendingNewlines > 1)
                        {
                            output[n++] = '\n';
                        }

                        break;
                    case NewlineHandling.KeepParagraphs when pendingNewlines > 1:
                        output[n++] = '\n';
                        output[n++] = '\n';
                        break;
                    default:
                        output[n++] = ' ';
                        break;
                }
            }
            else if (pendingSpace)
            {
                output[n++] = ' ';
            }
        }

        pendingNewlines = 0;
        pendingSpace = false;
        output[n++] = c;
    }
}
