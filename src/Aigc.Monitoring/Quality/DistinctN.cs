namespace Aigc.Monitoring;

/// <summary>
/// distinct-n (Li et al., 2016, "A Diversity-Promoting Objective Function for Neural Conversation Models"): the
/// number of distinct word n-grams across a set of texts divided by the total number of word n-grams in them.
/// </summary>
/// <remarks>
/// The denominator is the total count of n-grams (every occurrence, over all texts), not the number of tokens and
/// not the number of texts; n-grams do not cross text boundaries. The value is in [0, 1], higher meaning more
/// diverse, and 0 when the texts have no n-gram at all. Words come from <see cref="WordTokenizer"/> (case kept,
/// CJK characters one word each) unless pre-tokenized texts are given.
/// </remarks>
public static class DistinctN
{
    /// <summary>Computes distinct-n over texts tokenized with <see cref="WordTokenizer"/>.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="n">The n-gram order (1 for distinct-1, 2 for distinct-2).</param>
    /// <returns>Distinct n-grams / total n-grams, in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static double Compute(IEnumerable<string> texts, int n)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Compute(Tokenize(texts), n);
    }

    /// <summary>Computes distinct-n over pre-tokenized texts.</summary>
    /// <param name="tokenizedTexts">The tokens of each text.</param>
    /// <param name="n">The n-gram order.</param>
    /// <returns>Distinct n-grams / total n-grams, in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizedTexts"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static double Compute(IEnumerable<IReadOnlyList<string>> tokenizedTexts, int n)
    {
        ArgumentNullException.ThrowIfNull(tokenizedTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var tokens in tokenizedTexts)
        {
            ArgumentNullException.ThrowIfNull(tokens, nameof(tokenizedTexts));
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                distinct.Add(NGramKey.Join(tokens, i, n));
                total++;
            }
        }

        return total == 0 ? 0.0 : (double)distinct.Count / total;
    }

    internal static IEnumerable<IReadOnlyList<string>> Tokenize(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(texts));
            yield return WordTokenizer.Tokenize(text);
        }
    }
}
