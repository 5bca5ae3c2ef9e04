using System.Globalization;
using System.Text;

namespace Aigc.Monitoring;

/// <summary>
/// The word tokenizer of the corpus-diversity and length metrics (<see cref="DistinctN"/>,
/// <see cref="RepetitionRate"/>, <see cref="TextLengthStatistics"/>): a word is a maximal run of Unicode letters,
/// digits and combining marks; every CJK character (Han ideograph, kana, Hangul) is a word of its own, because
/// those scripts do not separate words with spaces; everything else (space, punctuation, symbols) separates
/// words and is dropped. Case is kept.
/// </summary>
public static class WordTokenizer
{
    /// <summary>Splits a text into words.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The words, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        Scan(text, unicodeWords: true, lowercase: false, words);
        return words;
    }

    /// <summary>Counts the words of a text without allocating them.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of words.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Scan(text, unicodeWords: true, lowercase: false, words: null);
    }

    /// <summary>
    /// The tokenizing loop shared with <see cref="RougeTokenizer"/>. A word continues while the characters are
    /// word characters: with <paramref name="unicodeWords"/> any letter, digit or mark; without, only
    /// <c>[a-z0-9]</c> after lowercasing (rouge-score's rule). CJK characters are single words in both modes.
    /// </summary>
    internal static int Scan(string text, bool unicodeWords, bool lowercase, List<string>? words)
    {
        var count = 0;
        var builder = words is null ? null : new StringBuilder();
        var inWord = false;
        foreach (var original in text.EnumerateRunes())
        {
            var rune = lowercase ? Rune.ToLowerInvariant(original) : original;
            if (CjkCharacters.IsCjk(rune))
            {
                if (inWord)
                {
                    Flush(builder, words);
                    inWord = false;
                }

                count++;
                if (builder is not null)
                {
                    builder.Append(rune.ToString());
                    Flush(builder, words);
                }

                continue;
            }

            if (IsWordRune(rune, unicodeWords))
            {
                if (!inWord)
                {
                    inWord = true;
                    count++;
                }

                if (builder is not null)
                {
                    AppendRune(builder, rune);
                }
            }
            else if (inWord)
            {
                Flush(builder, words);
                inWord = false;
            }
        }

        if (inWord)
        {
            Flush(builder, words);
        }

        return count;
    }

    private static bool IsWordRune(Rune rune, bool unicodeWords)
    {
        if (!unicodeWords)
        {
            return rune.Value is (>= 'a' and <= 'z') or (>= '0' and <= '9');
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                return true;
            default:
                return false;
        }
    }

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        Span<char> buffer = stackalloc char[2];
        var written = rune.EncodeToUtf16(buffer);
        builder.Append(buffer[..written]);
    }

    private static void Flush(StringBuilder? builder, List<string>? words)
    {
        if (builder is null || words is null)
        {
            return;
        }

        words.Add(builder.ToString());
        builder.Clear();
    }
}
