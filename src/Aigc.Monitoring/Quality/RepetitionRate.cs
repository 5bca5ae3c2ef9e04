namespace Aigc.Monitoring;

/// <summary>
/// Repetition within a text: seq-rep-n (Welleck et al., 2019, "Neural Text Generation with Unlikelihood
/// Training"), the share of a text's word n-grams that repeat an n-gram seen earlier in the same text:
/// 1 − distinct n-grams / total n-grams.
/// </summary>
/// <remarks>
/// 0 means no n-gram occurs twice; values near 1 mean the text loops ("the the the …" has rate → 1). The default
/// order is 4 (Welleck et al.'s seq-rep-4). A text with fewer than n words has no n-gram and rate 0; over several
/// texts, <see cref="ComputeMean(IEnumerable{string}, int)"/> averages the rates of the texts that have at least one
/// n-gram (texts too short to repeat are left out of the mean), and is 0 when no text has one. Words come from
/// <see cref="WordTokenizer"/>.
/// </remarks>
public static class RepetitionRate
{
    /// <summary>The customary n-gram order, 4 (seq-rep-4).</summary>
    public const int DefaultOrder = 4;

    /// <summary>Computes the repetition rate of one text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="n">The n-gram order.</param>
    /// <returns>1 − distinct / total n-grams, in [0, 1).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static double Compute(string text, int n)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return Rate(WordTokenizer.Tokenize(text), n) ?? 0.0;
    }

    /// <summary>Computes the mean repetition rate of several texts (texts with fewer than n words left out).</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="n">The n-gram order.</param>
    /// <returns>The mean rate, in [0, 1).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static double ComputeMean(IEnumerable<string> texts, int n)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return ComputeMean(DistinctN.Tokenize(texts), n);
    }

    /// <summary>Computes the mean repetition rate of pre-tokenized texts (texts with fewer than n tokens left out).</summary>
    /// <param name="tokenizedTexts">The tokens of each text.</param>
    /// <param name="n">The n-gram order.</param>
    /// <returns>The mean rate, in [0, 1).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizedTexts"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static double ComputeMean(IEnumerable<IReadOnlyList<string>> tokenizedTexts, int n)
    {
        ArgumentNullException.ThrowIfNull(tokenizedTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var sum = 0.0;
        var count = 0;
        foreach (var tokens in tokenizedTexts)
        {
            ArgumentNullException.ThrowIfNull(tokens, nameof(tokenizedTexts));
            if (Rate(tokens, n) is { } rate)
            {
                sum += rate;
                count++;
            }
        }

        return count == 0 ? 0.0 : sum / count;
    }

    private static double? Rate(IReadOnlyList<string> tokens, int n)
    {
        var total = tokens.Count - n + 1;
        if (total <= 0)
        {
            return null;
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < total; i++)
        {
            distinct.Add(NGramKey.Join(tokens, i, n));
        }

        return 1.0 - ((double)distinct.Count / total);
    }
}
