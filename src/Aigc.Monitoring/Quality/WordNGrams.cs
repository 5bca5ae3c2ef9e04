using System.Runtime.InteropServices;

namespace Aigc.Monitoring;

/// <summary>
/// Counts the word n-grams of a segment whose words are separated by single spaces (the output of a BLEU
/// tokenizer). An n-gram's key is its slice of the segment, so the words inside a key are joined by one space,
/// as in sacreBLEU's <c>extract_all_word_ngrams</c>.
/// </summary>
internal static class WordNGrams
{
    /// <summary>Returns the start offset of each word of <paramref name="line"/> plus, last, <c>line.Length + 1</c>.</summary>
    public static int[] WordStarts(string line)
    {
        if (line.Length == 0)
        {
            return [1];
        }

        var count = 1;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                count++;
            }
        }

        var starts = new int[count + 1];
        var w = 1;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == ' ')
            {
                starts[w++] = i + 1;
            }
        }

        starts[count] = line.Length + 1;
        return starts;
    }

    /// <summary>Counts the n-grams of orders 1 to <paramref name="maxOrder"/>, one dictionary per order.</summary>
    /// <param name="line">Words separated by single spaces.</param>
    /// <param name="maxOrder">The highest order.</param>
    /// <param name="wordCount">The number of words.</param>
    /// <returns>The counts, index 0 for unigrams.</returns>
    public static Dictionary<string, int>[] Count(string line, int maxOrder, out int wordCount)
    {
        var starts = WordStarts(line);
        wordCount = starts.Length - 1;
        var counts = new Dictionary<string, int>[maxOrder];
        for (var n = 1; n <= maxOrder; n++)
        {
            var dictionary = new Dictionary<string, int>(Math.Max(0, wordCount - n + 1), StringComparer.Ordinal);
            var lookup = dictionary.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var i = 0; i + n <= wordCount; i++)
            {
                var key = line.AsSpan(starts[i], starts[i + n] - 1 - starts[i]);
                CollectionsMarshal.GetValueRefOrAddDefault(lookup, key, out _)++;
            }

            counts[n - 1] = dictionary;
        }

        return counts;
    }
}
