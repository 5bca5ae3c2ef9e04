using System.Globalization;

namespace Aigc.Monitoring;

/// <summary>
/// chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.x computes them.
/// </summary>
/// <remarks>
/// <para>
/// Definition (defaults): each segment is optionally lowercased and all white space is removed (Python's
/// <c>''.join(s.split())</c>), then character n-grams of orders 1–6 are counted over Unicode code points. With a
/// word order, words (white-space split, with one leading or trailing ASCII punctuation character split off) give
/// word n-grams as well. For each order the hypothesis count, reference count and clipped matches are summed over
/// the corpus (for several references per segment, the reference giving the best segment F-score is used). With
/// sacreBLEU's default (effective order), precision and recall are averaged over the orders where both the
/// hypothesis and the reference have n-grams and chrF = 100 · (1 + β²)·P·R / (β²·P + R); with
/// <see cref="ChrFOptions.EpsilonSmoothing"/>, the per-order F-scores (ε = 1e-16 for empty orders) are averaged
/// over all orders instead.
/// </para>
/// <para>References are reference streams, as for <see cref="BleuScorer"/>. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ChrFScorer
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private readonly int _charOrder;
    private readonly int _wordOrder;
    private readonly int _beta;
    private readonly bool _lowercase;
    private readonly bool _whitespace;
    private readonly bool _epsSmoothing;

    /// <summary>Initializes a scorer with sacreBLEU's defaults or the given settings.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An order or β is out of its range.</exception>
    public ChrFScorer(ChrFOptions? options = null)
    {
        options ??= new ChrFOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CharOrder, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CharOrder, 32, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.WordOrder, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.WordOrder, 32, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Beta, 1, nameof(options));
        _charOrder = options.CharOrder;
        _wordOrder = options.WordOrder;
        _beta = options.Beta;
        _lowercase = options.Lowercase;
        _whitespace = options.IncludeWhitespace;
        _epsSmoothing = options.EpsilonSmoothing;
    }

    private int Order => _charOrder + _wordOrder;

    /// <summary>Gets the metric name, for example <c>chrF2</c> or <c>chrF2++</c>.</summary>
    public string Name => "chrF" + _beta.ToString(CultureInfo.InvariantCulture) + new string('+', _wordOrder);

    /// <summary>Scores a corpus: statistics are summed over all segments before the score is computed.</summary>
    /// <param name="hypotheses">The system outputs, one per segment.</param>
    /// <param name="referenceStreams">The reference streams: <c>referenceStreams[k][i]</c> is the k-th reference of hypothesis i.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument or a hypothesis is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A stream's length differs from the number of hypotheses, or a segment has no non-empty reference.</exception>
    public ChrFScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        QualityArguments.CheckStreams(hypotheses.Count, referenceStreams);
        var sum = new long[3 * Order];
        int minRefs = int.MaxValue, maxRefs = 0;
        var references = new List<string?>(referenceStreams.Count);
        for (var i = 0; i < hypotheses.Count; i++)
        {
            references.Clear();
            foreach (var stream in referenceStreams)
            {
                references.Add(stream[i]);
            }

            var stats = SegmentStatistics(hypotheses[i] ?? throw new ArgumentNullException(nameof(hypotheses), $"Hypothesis {i} is null."), references, out var refCount);
            for (var j = 0; j < sum.Length; j++)
            {
                sum[j] += stats[j];
            }

            minRefs = Math.Min(minRefs, refCount);
            maxRefs = Math.Max(maxRefs, refCount);
        }

        if (hypotheses.Count == 0)
        {
            minRefs = maxRefs = referenceStreams.Count;
        }

        return new ChrFScore(100 * FScore(sum), Name, sum, GetSignature(minRefs, maxRefs));
    }

    /// <summary>Scores one hypothesis against its references (sacreBLEU's <c>sentence_score</c>).</summary>
    /// <param name="hypothesis">The system output.</param>
    /// <param name="references">Its references; empty or <see langword="null"/> entries are ignored.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no non-empty reference.</exception>
    public ChrFScore SentenceScore(string hypothesis, IReadOnlyList<string?> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        var stats = SegmentStatistics(hypothesis, references, out var refCount);
        return new ChrFScore(100 * FScore(stats), Name, stats, GetSignature(refCount, refCount));
    }

    /// <summary>Returns the sacreBLEU-style signature for the given reference counts.</summary>
    /// <param name="minReferences">The fewest references of any segment.</param>
    /// <param name="maxReferences">The most references of any segment.</param>
    /// <returns>For example <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.x</c>.</returns>
    public string GetSignature(int minReferences = 1, int maxReferences = 1)
    {
        var culture = CultureInfo.InvariantCulture;
        var nrefs = minReferences == maxReferences ? minReferences.ToString(culture) : "var";
        return string.Create(culture, $"nrefs:{nrefs}|case:{(_lowercase ? "lc" : "mixed")}|eff:{(_epsSmoothing ? "no" : "yes")}|nc:{_charOrder}|nw:{_wordOrder}|space:{(_whitespace ? "yes" : "no")}|version:{BleuScorer.SacreBleuVersion}");
    }

    private long[] SegmentStatistics(string hypothesis, IReadOnlyList<string?> references, out int referenceCount)
    {
        var hypothesisNGrams = Extract(hypothesis);
        long[]? best = null;
        var bestF = -1.0;
        referenceCount = 0;
        foreach (var reference in references)
        {
            if (string.IsNullOrEmpty(reference))
            {
                continue;
            }

            referenceCount++;
            var referenceNGrams = Extract(reference);
            var stats = new long[3 * Order];
            for (var i = 0; i < Order; i++)
            {
                var hyp = hypothesisNGrams[i];
                var @ref = referenceNGrams[i];
                long hypCount = 0, matchCount = 0, refCount = 0;
                foreach (var (ngram, count) in hyp)
                {
                    hypCount += count;
                    if (@ref.TryGetValue(ngram, out var refNGramCount))
                    {
                        matchCount += Math.Min(count, refNGramCount);
                    }
                }

                foreach (var count in @ref.Values)
                {
                    refCount += count;
                }

                // sacreBLEU does not count hypothesis n-grams of an order the reference has none of.
                stats[3 * i] = @ref.Count > 0 ? hypCount : 0;
                stats[(3 * i) + 1] = refCount;
                stats[(3 * i) + 2] = matchCount;
            }

            var f = FScore(stats);
            if (f > bestF)
            {
                bestF = f;
                best = stats;
            }
        }

        return best ?? throw new ArgumentException("A segment has no non-empty reference: give at least one reference for every hypothesis.", nameof(references));
    }

    /// <summary>sacreBLEU's <c>_compute_f_score</c>, on a 0–1 scale.</summary>
    private double FScore(long[] statistics)
    {
        const double eps = 1e-16;
        var factor = (double)_beta * _beta;
        double score = 0, avgPrecision = 0, avgRecall = 0;
        var effectiveOrder = 0;
        for (var i = 0; i < Order; i++)
        {
            var hyp = statistics[3 * i];
            var @ref = statistics[(3 * i) + 1];
            var match = statistics[(3 * i) + 2];
            var precision = hyp > 0 ? (double)match / hyp : eps;
            var recall = @ref > 0 ? (double)match / @ref : eps;
            var denominator = (factor * precision) + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : eps;
            if (hyp > 0 && @ref > 0)
            {
                avgPrecision += precision;
                avgRecall += recall;
                effectiveOrder++;
            }
        }

        if (_epsSmoothing)
        {
            return score / Order;
        }

        if (effectiveOrder == 0)
        {
            return 0;
        }

        avgPrecision /= effectiveOrder;
        avgRecall /= effectiveOrder;
        return avgPrecision + avgRecall == 0 ? 0 : (1 + factor) * avgPrecision * avgRecall / ((factor * avgPrecision) + avgRecall);
    }

    private Dictionary<string, int>[] Extract(string segment)
    {
        if (_lowercase)
        {
            segment = segment.ToLowerInvariant();
        }

        var result = new Dictionary<string, int>[Order];
        var chars = _whitespace ? segment : PythonText.RemoveSpaces(segment);
        var offsets = PythonText.CodePointOffsets(chars);
        var length = offsets.Length - 1;
        for (var n = 1; n <= _charOrder; n++)
        {
            var counts = new Dictionary<string, int>(Math.Max(0, length - n + 1), StringComparer.Ordinal);
            for (var i = 0; i + n <= length; i++)
            {
                var key = chars[offsets[i]..offsets[i + n]];
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

            result[n - 1] = counts;
        }

        if (_wordOrder > 0)
        {
            var words = SplitPunctuation(segment);
            for (var n = 1; n <= _wordOrder; n++)
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i + n <= words.Count; i++)
                {
                    var key = string.Join(' ', words.GetRange(i, n));
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }

                result[_charOrder + n - 1] = counts;
            }
        }

        return result;
    }

    /// <summary>sacreBLEU's <c>_remove_punctuation</c>: splits one leading or trailing ASCII punctuation character off each word.</summary>
    private static List<string> SplitPunctuation(string segment)
    {
        var words = new List<string>();
        foreach (var word in PythonText.Split(segment))
        {
            var single = word.Length == 1 || (word.Length == 2 && char.IsSurrogatePair(word[0], word[1]));
            if (single)
            {
                words.Add(word);
            }
            else if (Punctuation.Contains(word[^1], StringComparison.Ordinal))
            {
                words.Add(word[..^1]);
                words.Add(word[^1..]);
            }
            else if (Punctuation.Contains(word[0], StringComparison.Ordinal))
            {
                words.Add(word[..1]);
                words.Add(word[1..]);
            }
            else
            {
                words.Add(word);
            }
        }

        return words;
    }
}
