using System.Buffers;
using System.Collections.Frozen;

namespace Aigc.Data;

/// <summary>
/// Splits English text into sentences, approximating NLTK's Punkt tokenizer (which datatrove's C4 filter uses to
/// count sentences).
/// </summary>
/// <remarks>
/// A sentence ends after a run of <c>. ! ? …</c> (and any closing quotes or brackets after it) that is followed by
/// white space and then a character that is not a lowercase letter; a single period does not end a sentence after a
/// common abbreviation (<c>Mr.</c>, <c>Dr.</c>, <c>etc.</c>, <c>e.g.</c>, ...), an initial (<c>J.</c>) or a word
/// with inner periods (<c>U.S.</c>). Sentences are trimmed and empty ones are dropped, as datatrove does.
/// </remarks>
internal static class SentenceSplitter
{
    private static readonly SearchValues<char> Terminators = SearchValues.Create(".!?…");
    private static readonly SearchValues<char> Closers = SearchValues.Create("\"'”’)]}»");

    private static readonly FrozenSet<string> Abbreviations = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "inc", "ltd", "co", "corp", "no", "vol",
        "fig", "al", "approx", "dept", "est", "gen", "gov", "rev", "sen", "rep", "capt", "col", "lt", "sgt", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "cf", "ca", "pp", "ed", "eds", "ie", "eg");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AbbreviationLookup =
        Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Counts the sentences in <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of non-empty sentences.</returns>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        var start = 0;
        while (NextBoundary(text, ref start, out var sentence))
        {
            if (sentence.Length > 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Appends the sentences of <paramref name="text"/> to <paramref name="sentences"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="sentences">Receives the trimmed, non-empty sentences.</param>
    public static void Split(ReadOnlySpan<char> text, List<TextSegment> sentences)
    {
        var start = 0;
        while (NextBoundary(text, ref start, out var sentence))
        {
            if (sentence.Length > 0)
            {
                sentences.Add(sentence);
            }
        }
    }

    private static bool NextBoundary(ReadOnlySpan<char> text, ref int start, out TextSegment sentence)
    {
        if (start >= text.Length)
        {
            sentence = default;
            return false;
        }

        var i = start;
        while (i < text.Length)
        {
            var offset = text[i..].IndexOfAny(Terminators);
            if (offset < 0)
            {
                break;
            }

            var first = i + offset;
            var j = first;
            while (j < text.Length && Terminators.Contains(text[j]))
            {
                j++;
            }

            var k = j;
            while (k < text.Length && Closers.Contains(text[k]))
            {
                k++;
            }

            i = k;
            if (k >= text.Length || !char.IsWhiteSpace(text[k]))
            {
                continue;
            }

            var next = k;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next < text.Length && char.IsLower(text[next]))
            {
                continue;
            }

            if (j - first == 1 && text[first] == '.' && IsAbbreviation(text[start..first]))
            {
                continue;
            }

            sentence = LineSplitter.Trim(text, new TextSegment(start, k - start));
            start = next;
            return true;
        }

        sentence = LineSplitter.Trim(text, new TextSegment(start, text.Length - start));
        start = text.Length;
        return true;
    }

    private static bool IsAbbreviation(ReadOnlySpan<char> before)
    {
        var wordStart = before.Length;
        while (wordStart > 0 && !char.IsWhiteSpace(before[wordStart - 1]))
        {
            wordStart--;
        }

        var word = before[wordStart..].TrimStart("\"'“‘([{«");
        if (word.IsEmpty)
        {
            return false;
        }

        if (word.Length == 1 && char.IsLetter(word[0]))
        {
            return true;
        }

        return word.Contains('.') || AbbreviationLookup.Contains(word);
    }
}
