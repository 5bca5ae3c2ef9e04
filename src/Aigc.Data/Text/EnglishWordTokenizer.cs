using System.Buffers;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Splits text into word and punctuation tokens the way NLTK's <c>word_tokenize</c> (the Penn Treebank rules) does
/// for English, which is what datatrove's Gopher filters count: the reference numbers (words per document, mean word
/// length, n-gram repetition) come out the same on ordinary prose.
/// </summary>
/// <remarks>
/// The rules, applied to each run of non-white-space characters: <c>? ! ; @ # $ % &amp; ( ) [ ] { } &lt; &gt; "</c>,
/// typographic quotes, guillemets, backticks and <c>…</c> are tokens of their own; runs of three or more periods and
/// of two or more hyphens are one token; <c>,</c> and <c>:</c> are split off unless a digit follows (<c>1,000</c> and
/// <c>10:30</c> stay whole); the clitics <c>'s 'm 'd 'll 're 've n't</c> and a closing <c>'</c> are split off the end
/// of a word; a final period is split off unless the word has another period (<c>U.S.</c>, <c>e.g.</c> stay whole);
/// each CJK ideograph, Hiragana, Katakana and Hangul syllable is a token (see <see cref="TextSegmenter"/>).
/// Differences from NLTK: quotes are not rewritten to <c>``</c>/<c>''</c>, and a period is split off every word that
/// ends a white-space run rather than only at the sentence boundaries Punkt finds.
/// </remarks>
internal static class EnglishWordTokenizer
{
    private static readonly SearchValues<char> AlwaysSplit = SearchValues.Create("?!;@#$%&()[]{}<>\"“”«»`…„");

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="tokens">Receives the tokens, in order.</param>
    public static void Tokenize(ReadOnlySpan<char> text, List<TextSegment> tokens)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                TokenizeChunk(text, start, i, tokens);
            }
        }
    }

    /// <summary>Returns whether a token is made only of punctuation, symbols and control characters.</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> when no character is a letter, digit, mark or other word character.</returns>
    public static bool IsSymbolToken(ReadOnlySpan<char> token)
    {
        foreach (var rune in token.EnumerateRunes())
        {
            if (!Rune.IsPunctuation(rune) && !Rune.IsSymbol(rune) && !Rune.IsControl(rune))
            {
                return false;
            }
        }

        return true;
    }

    private static void TokenizeChunk(ReadOnlySpan<char> text, int start, int end, List<TextSegment> tokens)
    {
        var wordStart = start;
        var i = start;
        while (i < end)
        {
            var c = text[i];
            var special = 0;
            if (c == '.' && i + 2 < end && text[i + 1] == '.' && text[i + 2] == '.')
            {
                special = RunLength(text, i, end, '.');
            }
            else if (c == '-' && i + 1 < end && text[i + 1] == '-')
            {
                special = RunLength(text, i, end, '-');
            }
            else if (AlwaysSplit.Contains(c))
            {
                special = 1;
            }
            else if ((c == ',' || c == ':') && !(i + 1 < end && char.IsAsciiDigit(text[i + 1])))
            {
                special = 1;
            }
            else if (c >= 0x3005)
            {
                if (Rune.DecodeFromUtf16(text[i..end], out var rune, out var width) == OperationStatus.Done && CjkCharacters.IsWordCharacter(rune.Value))
                {
                    special = width;
                    while (i + special < end && Rune.DecodeFromUtf16(text[(i + special)..end], out var mark, out var markWidth) == OperationStatus.Done
                        && CjkCharacters.IsMark(mark.Value))
                    {
                        special += markWidth;
                    }
                }
            }

            if (special > 0)
            {
                TokenizeWord(text, wordStart, i, tokens);
                tokens.Add(new TextSegment(i, special));
                i += special;
                wordStart = i;
            }
            else
            {
                i++;
            }
        }

        TokenizeWord(text, wordStart, end, tokens);
    }

    private static int RunLength(ReadOnlySpan<char> text, int i, int end, char c)
    {
        var j = i;
        while (j < end && text[j] == c)
        {
            j++;
        }

        return j - i;
    }

    private static void TokenizeWord(ReadOnlySpan<char> text, int start, int end, List<TextSegment> tokens)
    {
        if (end <= start)
        {
            return;
        }

        var wordEnd = end;
        var period = -1;
        if (wordEnd - start > 1 && text[wordEnd - 1] == '.' && text[start..(wordEnd - 1)].IndexOf('.') < 0)
        {
            wordEnd--;
            period = wordEnd;
        }

        var quote = -1;
        var clitic = -1;
        if (wordEnd - start > 1 && IsApostrophe(text[wordEnd - 1]) && !IsApostrophe(text[wordEnd - 2]))
        {
            wordEnd--;
            quote = wordEnd;
        }
        else
        {
            var cliticLength = CliticLength(text[start..wordEnd]);
            if (cliticLength > 0)
            {
                wordEnd -= cliticLength;
                clitic = wordEnd;
            }
        }

        if (wordEnd > start)
        {
            tokens.Add(new TextSegment(start, wordEnd - start));
        }

        if (clitic >= 0)
        {
            tokens.Add(new TextSegment(clitic, (period >= 0 ? period : end) - clitic));
        }

        if (quote >= 0)
        {
            tokens.Add(new TextSegment(quote, 1));
        }

        if (period >= 0)
        {
            tokens.Add(new TextSegment(period, 1));
        }
    }

    private static int CliticLength(ReadOnlySpan<char> word)
    {
        var n = word.Length;
        if (n >= 4 && (word[n - 3] is 'n' or 'N') && IsApostrophe(word[n - 2]) && (word[n - 1] is 't' or 'T'))
        {
            return 3;
        }

        if (n >= 4 && IsApostrophe(word[n - 3]))
        {
            var a = char.ToLowerInvariant(word[n - 2]);
            var b = char.ToLowerInvariant(word[n - 1]);
            if ((a == 'l' && b == 'l') || (a == 'r' && b == 'e') || (a == 'v' && b == 'e'))
            {
                return 3;
            }
        }

        if (n >= 3 && IsApostrophe(word[n - 2]) && (word[n - 1] is 's' or 'S' or 'm' or 'M' or 'd' or 'D'))
        {
            return 2;
        }

        return 0;
    }

    private static bool IsApostrophe(char c) => c is '\'' or '’';
}
