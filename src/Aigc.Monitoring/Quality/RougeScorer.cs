namespace Aigc.Monitoring;

/// <summary>
/// ROUGE-N, ROUGE-L and ROUGE-Lsum with the definitions of Google's rouge-score package (which replicates
/// ROUGE-1.5.5 without stemming), and a tokenizer that also handles CJK text (see <see cref="RougeTokenizer"/>).
/// </summary>
/// <remarks>
/// <para>Definitions, on the tokens of <see cref="RougeTokenizer"/>:</para>
/// <list type="bullet">
/// <item><description>ROUGE-N: matches = Σ over reference n-grams of min(count in reference, count in prediction);
/// P = matches / max(prediction n-grams, 1), R = matches / max(reference n-grams, 1), F = 2PR / (P + R).</description></item>
/// <item><description>ROUGE-L: with L the length of the longest common subsequence of the two token lists,
/// P = L / prediction tokens, R = L / reference tokens; all 0 when either side has no token.</description></item>
/// <item><description>ROUGE-Lsum: the texts are split into sentences at <c>\n</c> (empty lines dropped); for each
/// reference sentence the union of its LCS tokens with every prediction sentence counts as hits, each token
/// counted at most as often as it occurs on both sides (ROUGE-1.5.5); P = hits / prediction tokens,
/// R = hits / reference tokens.</description></item>
/// </list>
/// <para>Stemming (rouge-score's <c>use_stemmer</c>) is not offered. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class RougeScorer
{
    private readonly bool _unicodeWords;

    /// <summary>Initializes a scorer.</summary>
    /// <param name="unicodeWords">
    /// Whether words of any script are kept whole (see <see cref="RougeTokenizer.Tokenize(string, bool)"/>);
    /// by default only <c>[a-z0-9]</c> runs and CJK characters are tokens, as in rouge-score.
    /// </param>
    public RougeScorer(bool unicodeWords = false) => _unicodeWords = unicodeWords;

    /// <summary>Computes ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum.</summary>
    /// <param name="prediction">The generated text.</param>
    /// <param name="reference">The reference (rouge-score's <c>target</c>).</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RougeScores Score(string prediction, string reference)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(reference);
        var p = RougeTokenizer.Tokenize(prediction, _unicodeWords);
        var r = RougeTokenizer.Tokenize(reference, _unicodeWords);
        return new RougeScores(NGramScore(p, r, 1), NGramScore(p, r, 2), LcsScore(p, r), LsumScore(prediction, reference));
    }

    /// <summary>Computes ROUGE-N.</summary>
    /// <param name="prediction">The generated text.</param>
    /// <param name="reference">The reference.</param>
    /// <param name="n">The n-gram order, from 1.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public RougeScore RougeN(string prediction, string reference, int n)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return NGramScore(RougeTokenizer.Tokenize(prediction, _unicodeWords), RougeTokenizer.Tokenize(reference, _unicodeWords), n);
    }

    /// <summary>Computes ROUGE-L.</summary>
    /// <param name="prediction">The generated text.</param>
    /// <param name="reference">The reference.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RougeScore RougeL(string prediction, string reference)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(reference);
        return LcsScore(RougeTokenizer.Tokenize(prediction, _unicodeWords), RougeTokenizer.Tokenize(reference, _unicodeWords));
    }

    /// <summary>Computes ROUGE-Lsum (sentences separated by newlines).</summary>
    /// <param name="prediction">The generated text.</param>
    /// <param name="reference">The reference.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RougeScore RougeLsum(string prediction, string reference)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(reference);
        return LsumScore(prediction, reference);
    }

    private static RougeScore NGramScore(IReadOnlyList<string> prediction, IReadOnlyList<string> reference, int n)
    {
        var referenceNGrams = CountNGrams(reference, n, out var referenceCount);
        var predictionNGrams = CountNGrams(prediction, n, out var predictionCount);
        long matches = 0;
        foreach (var (ngram, count) in referenceNGrams)
        {
            if (predictionNGrams.TryGetValue(ngram, out var other))
            {
                matches += Math.Min(count, other);
            }
        }

        return RougeScore.FromCounts(matches, predictionCount, referenceCount);
    }

    private static Dictionary<string, int> CountNGrams(IReadOnlyList<string> tokens, int n, out int total)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        total = Math.Max(0, tokens.Count - n + 1);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            // Tokens never contain a space, so joining with one is unambiguous.
            var key = n == 1 ? tokens[i] : string.Join(' ', Slice(tokens, i, n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static IEnumerable<string> Slice(IReadOnlyList<string> tokens, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return tokens[i];
        }
    }

    private static RougeScore LcsScore(IReadOnlyList<string> prediction, IReadOnlyList<string> reference)
    {
        if (prediction.Count == 0 || reference.Count == 0)
        {
            return default;
        }

        var lcs = LcsLength(reference, prediction);
        var precision = (double)lcs / prediction.Count;
        var recall = (double)lcs / reference.Count;
        return new RougeScore(precision, recall, RougeScore.F1(precision, recall));
    }

    private static int LcsLength(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }

    private RougeScore LsumScore(string prediction, string reference)
    {
        var referenceSentences = Sentences(reference);
        var predictionSentences = Sentences(prediction);
        if (referenceSentences.Count == 0 || predictionSentences.Count == 0)
        {
            return default;
        }

        var m = 0;
        var n = 0;
        var referenceTokenCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var predictionTokenCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in referenceSentences)
        {
            m += sentence.Count;
            foreach (var token in sentence)
            {
                referenceTokenCounts[token] = referenceTokenCounts.GetValueOrDefault(token) + 1;
            }
        }

        foreach (var sentence in predictionSentences)
        {
            n += sentence.Count;
            foreach (var token in sentence)
            {
                predictionTokenCounts[token] = predictionTokenCounts.GetValueOrDefault(token) + 1;
            }
        }

        if (m == 0 || n == 0)
        {
            return default;
        }

        var hits = 0;
        var union = new SortedSet<int>();
        foreach (var sentence in referenceSentences)
        {
            union.Clear();
            foreach (var candidate in predictionSentences)
            {
                foreach (var index in LcsIndices(sentence, candidate))
                {
                    union.Add(index);
                }
            }

            foreach (var index in union)
            {
                var token = sentence[index];
                if (predictionTokenCounts.GetValueOrDefault(token) > 0 && referenceTokenCounts.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    predictionTokenCounts[token]--;
                    referenceTokenCounts[token]--;
                }
            }
        }

        var precision = (double)hits / n;
        var recall = (double)hits / m;
        return new RougeScore(precision, recall, RougeScore.F1(precision, recall));
    }

    private List<IReadOnlyList<string>> Sentences(string text)
    {
        var sentences = new List<IReadOnlyList<string>>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                sentences.Add(RougeTokenizer.Tokenize(line, _unicodeWords));
            }
        }

        return sentences;
    }

    /// <summary>The indices into <paramref name="reference"/> of one LCS (rouge-score's <c>_backtrack_norec</c>).</summary>
    private static List<int> LcsIndices(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        var rows = reference.Count;
        var cols = candidate.Count;
        var table = new int[rows + 1, cols + 1];
        for (var i = 1; i <= rows; i++)
        {
            for (var j = 1; j <= cols; j++)
            {
                table[i, j] = string.Equals(reference[i - 1], candidate[j - 1], StringComparison.Ordinal)
                    ? table[i - 1, j - 1] + 1
                    : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        var indices = new List<int>();
        int r = rows, c = cols;
        while (r > 0 && c > 0)
        {
            if (string.Equals(reference[r - 1], candidate[c - 1], StringComparison.Ordinal))
            {
                indices.Add(r - 1);
                r--;
                c--;
            }
            else if (table[r, c - 1] > table[r - 1, c])
            {
                c--;
            }
            else
            {
                r--;
            }
        }

        indices.Reverse();
        return indices;
    }
}
