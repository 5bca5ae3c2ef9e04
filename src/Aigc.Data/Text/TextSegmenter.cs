using System.Buffers;
using System.Globalization;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Counts words and user-perceived characters in text of any script, including Chinese, Japanese and Korean, which
/// are written without spaces between words.
/// </summary>
/// <remarks>
/// <para>
/// The word rule: a word is a maximal run of letters, digits (any Unicode number), combining marks and apostrophes
/// (<c>'</c>, <c>’</c>, <c>ʼ</c>) that contains at least one letter or digit; and every CJK ideograph, Hiragana,
/// Katakana and Hangul syllable is a word on its own (with the combining marks that follow it). So
/// <c>"don't stop"</c> is 2 words, <c>"我爱北京天安门"</c> is 7 and <c>"日本語のテキスト"</c> is 8. Everything else
/// (white space, punctuation, symbols, emoji) separates words and is not counted.
/// </para>
/// <para>
/// Characters are counted as text elements (extended grapheme clusters, as <see cref="StringInfo"/> defines them), so
/// <c>"é"</c> written as <c>e</c> + U+0301, an emoji with skin tone, and <c>"\r\n"</c> each count as one.
/// </para>
/// </remarks>
public static class TextSegmenter
{
    /// <summary>Counts the words in <paramref name="text"/> (see the word rule in the remarks).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of words.</returns>
    public static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var enumerator = new WordEnumerator(text);
        while (enumerator.MoveNext())
        {
            count++;
        }

        return count;
    }

    /// <summary>Enumerates the words in <paramref name="text"/> (see the word rule in the remarks) without allocating.</summary>
    /// <param name="text">The text.</param>
    /// <returns>An enumerator over the words, each a slice of <paramref name="text"/>.</returns>
    public static WordEnumerator EnumerateWords(ReadOnlySpan<char> text) => new(text);

    /// <summary>Counts the user-perceived characters (text elements, or grapheme clusters) in <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of text elements.</returns>
    public static int CountTextElements(ReadOnlySpan<char> text)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 0x80 && (i + 1 == text.Length || (text[i + 1] < 0x80 && !(c == '\r' && text[i + 1] == '\n'))))
            {
                i++;
            }
            else
            {
                i += Math.Max(1, StringInfo.GetNextTextElementLength(text[i..]));
            }

            count++;
        }

        return count;
    }

    /// <summary>Returns whether a code point continues a word run: a letter, number, combining mark or apostrophe.</summary>
    internal static bool IsWordRunCharacter(Rune rune, out bool isLetterOrDigit)
    {
        var value = rune.Value;
        if (value < 0x80)
        {
            isLetterOrDigit = (uint)((value | 0x20) - 'a') <= 'z' - 'a' || (uint)(value - '0') <= 9;
            return isLetterOrDigit || value == '\'';
        }

        var category = Rune.GetUnicodeCategory(rune);
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                isLetterOrDigit = value != 0x02BC;
                return true;
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                isLetterOrDigit = false;
                return true;
            default:
                isLetterOrDigit = false;
                return value == 0x2019;
        }
    }
}
