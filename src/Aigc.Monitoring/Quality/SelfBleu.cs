namespace Aigc.Monitoring;

/// <summary>
/// Self-BLEU (Zhu et al., 2018, "Texygen"): how much a set of generated texts resemble each other. Each text is
/// scored with sentence BLEU against all the other texts as its references, and the scores are averaged.
/// </summary>
/// <remarks>
/// <para>
/// Higher means less diverse (100 when all texts are identical). BLEU is <see cref="BleuScorer"/>'s sacreBLEU
/// BLEU; by default with sacreBLEU's settings plus effective order (sacreBLEU's recommendation for sentence-level
/// BLEU), so short texts are not scored 0 merely for lacking 4-grams. Texygen used NLTK's BLEU with its own
/// smoothing, so absolute values differ from papers that used it; compare Self-BLEU values only with each other.
/// </para>
/// <para>
/// The computation is linear in the total number of n-grams: for each n-gram the two highest counts in any text
/// are kept, so a text's references ("every other text") need not be merged text by text. Empty strings are not
/// used as references (as in sacreBLEU) but are scored as hypotheses.
/// </para>
/// </remarks>
public static class SelfBleu
{
    /// <summary>Computes Self-BLEU, 0–100.</summary>
    /// <param name="texts">The generated texts; at least two non-empty ones.</param>
    /// <param name="options">The BLEU settings, or <see langword="null"/> for sacreBLEU's defaults with effective order.</param>
    /// <returns>The mean sentence BLEU of each text against the others.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two texts are non-empty.</exception>
    public static double Compute(IReadOnlyList<string> texts, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var scorer = new BleuScorer(options ?? new BleuOptions { EffectiveOrder = true });
        var order = scorer.MaxNGramOrder;
        var counts = new Dictionary<string, int>[texts.Count][];
        var lengths = new int[texts.Count];
        var referenceLengths = new List<int>(texts.Count);
        var top = new Dictionary<string, TopTwo>[order];
        for (var n = 0; n < order; n++)
        {
            top[n] = new Dictionary<string, TopTwo>(StringComparer.Ordinal);
        }

        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text {i} is null.");
            counts[i] = WordNGrams.Count(scorer.Preprocess(text), order, out lengths[i]);
            if (text.Length == 0)
            {
                continue;
            }

            referenceLengths.Add(lengths[i]);
            for (var n = 0; n < order; n++)
            {
                var best = top[n];
                foreach (var (ngram, count) in counts[i][n])
                {
                    best[ngram] = best.TryGetValue(ngram, out var current) ? current.Offer(count, i) : new TopTwo(count, i, 0);
                }
            }
        }

        if (referenceLengths.Count < 2)
        {
            throw new ArgumentException("Self-BLEU needs at least two non-empty texts.", nameof(texts));
        }

        referenceLengths.Sort();
        var sum = 0.0;
        var matches = new long[order];
        var totals = new long[order];
        for (var i = 0; i < texts.Count; i++)
        {
            Array.Clear(matches);
            Array.Clear(totals);
            for (var n = 0; n < order; n++)
            {
                var best = top[n];
                foreach (var (ngram, count) in counts[i][n])
                {
                    totals[n] += count;
                    if (best.TryGetValue(ngram, out var two))
                    {
                        var referenceCount = two.Owner == i ? two.Second : two.First;
                        matches[n] += Math.Min(count, referenceCount);
                    }
                }
            }

            var referenceLength = ClosestOtherLength(referenceLengths, lengths[i], isReference: texts[i].Length > 0);
            var statistics = BleuStatistics.Create(lengths[i], referenceLength, (long[])matches.Clone(), (long[])totals.Clone(), 1, 1);
            sum += scorer.Score(statistics).Score;
        }

        return sum / texts.Count;
    }

    /// <summary>
    /// The reference length closest to <paramref name="length"/> among the sorted lengths, leaving out one
    /// occurrence of <paramref name="length"/> itself when the text is one of the references; ties go to the shorter.
    /// </summary>
    private static int ClosestOtherLength(List<int> sortedLengths, int length, bool isReference)
    {
        var lower = LowerBound(sortedLengths, length);
        var equal = 0;
        while (lower + equal < sortedLengths.Count && sortedLengths[lower + equal] == length)
        {
            equal++;
        }

        if (equal > (isReference ? 1 : 0))
        {
            return length;
        }

        int? below = lower > 0 ? sortedLengths[lower - 1] : null;
        int? above = lower + equal < sortedLengths.Count ? sortedLengths[lower + equal] : null;
        if (below is null)
        {
            return above!.Value;
        }

        if (above is null)
        {
            return below.Value;
        }

        return length - below.Value <= above.Value - length ? below.Value : above.Value;
    }

    private static int LowerBound(List<int> sorted, int value)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>The highest count of an n-gram in any text, which text has it, and the highest count in any other text.</summary>
    private readonly record struct TopTwo(int First, int Owner, int Second)
    {
        public TopTwo Offer(int count, int text) =>
            count > First ? new TopTwo(count, text, First) : new TopTwo(First, Owner, Math.Max(Second, count));
    }
}
