using System.Globalization;

namespace Aigc.Monitoring;

/// <summary>
/// Corpus and sentence BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.x computes it.
/// </summary>
/// <remarks>
/// <para>
/// Definition: each segment is optionally lowercased, stripped of trailing white space and tokenized (by default
/// with the <c>13a</c> tokenizer of <c>mteval-v13a.pl</c>). For each n-gram order n = 1…N (N = 4) the hypothesis
/// n-gram counts are clipped by the highest count of that n-gram in any of the segment's references; clipped
/// matches and hypothesis n-gram totals are summed over the corpus, giving precisions pₙ = matchesₙ / totalₙ.
/// Orders with no match are smoothed (by default with sacreBLEU's <c>exp</c> method). The reference length r is
/// the sum over segments of the reference length closest to the hypothesis length (ties go to the shorter one);
/// c is the hypothesis length. BLEU = BP · exp(Σ ln pₙ / N) · 100 with the brevity penalty
/// BP = 1 when c ≥ r, else exp(1 − r/c) (0 when c = 0). When no n-gram of any order matches, BLEU is 0.
/// </para>
/// <para>
/// References are passed the way sacreBLEU takes them: as reference <em>streams</em>, where
/// <c>referenceStreams[k][i]</c> is the k-th reference of hypothesis i. An empty or <see langword="null"/>
/// reference means that segment has fewer references (the signature then says <c>nrefs:var</c>).
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class BleuScorer
{
    /// <summary>The sacreBLEU release line whose definitions this class reproduces, as written in signatures.</summary>
    public const string SacreBleuVersion = "2.x";

    private readonly bool _lowercase;
    private readonly BleuTokenizer _tokenizer;
    private readonly BleuSmoothing _smoothing;
    private readonly double _smoothingValue;
    private readonly int _maxOrder;
    private readonly bool _effectiveOrder;

    /// <summary>Initializes a scorer with sacreBLEU's defaults or the given settings.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The maximum order is below 1 or above 32, or the smoothing value is negative.</exception>
    public BleuScorer(BleuOptions? options = null)
    {
        options ??= new BleuOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxNGramOrder, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxNGramOrder, 32, nameof(options));
        if (options.SmoothingValue is < 0 or double.NaN)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SmoothingValue, "The smoothing value must be zero or positive.");
        }

        if (!Enum.IsDefined(options.Smoothing) || !Enum.IsDefined(options.Tokenizer))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Unknown smoothing method or tokenizer.");
        }

        _lowercase = options.Lowercase;
        _tokenizer = options.Tokenizer;
        _smoothing = options.Smoothing;
        _smoothingValue = options.SmoothingValue ?? (options.Smoothing == BleuSmoothing.Floor ? 0.1 : 1.0);
        _maxOrder = options.MaxNGramOrder;
        _effectiveOrder = options.EffectiveOrder;
    }

    /// <summary>Gets the highest n-gram order.</summary>
    public int MaxNGramOrder => _maxOrder;

    /// <summary>Scores a corpus: statistics are summed over all segments before the score is computed.</summary>
    /// <param name="hypotheses">The system outputs, one per segment.</param>
    /// <param name="referenceStreams">The reference streams: <c>referenceStreams[k][i]</c> is the k-th reference of hypothesis i.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument or a hypothesis is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A stream's length differs from the number of hypotheses, or a segment has no non-empty reference.</exception>
    public BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams) =>
        Score(GetCorpusStatistics(hypotheses, referenceStreams));

    /// <summary>Scores one hypothesis against its references (sacreBLEU's <c>sentence_score</c>).</summary>
    /// <param name="hypothesis">The system output.</param>
    /// <param name="references">Its references; empty or <see langword="null"/> entries are ignored.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no non-empty reference.</exception>
    /// <remarks>sacreBLEU recommends <see cref="BleuOptions.EffectiveOrder"/> for sentence-level BLEU.</remarks>
    public BleuScore SentenceScore(string hypothesis, IReadOnlyList<string?> references) =>
        Score(GetStatistics(hypothesis, references));

    /// <summary>Counts the statistics of a corpus.</summary>
    /// <param name="hypotheses">The system outputs, one per segment.</param>
    /// <param name="referenceStreams">The reference streams: <c>referenceStreams[k][i]</c> is the k-th reference of hypothesis i.</param>
    /// <returns>The summed statistics.</returns>
    /// <exception cref="ArgumentNullException">An argument or a hypothesis is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A stream's length differs from the number of hypotheses, or a segment has no non-empty reference.</exception>
    public BleuStatistics GetCorpusStatistics(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        QualityArguments.CheckStreams(hypotheses.Count, referenceStreams);
        var matches = new long[_maxOrder];
        var totals = new long[_maxOrder];
        long hypothesisLength = 0, referenceLength = 0;
        int minReferences = int.MaxValue, maxReferences = 0;
        var references = new List<string?>(referenceStreams.Count);
        for (var i = 0; i < hypotheses.Count; i++)
        {
            references.Clear();
            foreach (var stream in referenceStreams)
            {
                references.Add(stream[i]);
            }

            var segment = CountSegment(hypotheses[i] ?? throw new ArgumentNullException(nameof(hypotheses), $"Hypothesis {i} is null."), references, matches, totals, out var refCount, out var refLength);
            hypothesisLength += segment;
            referenceLength += refLength;
            minReferences = Math.Min(minReferences, refCount);
            maxReferences = Math.Max(maxReferences, refCount);
        }

        if (hypotheses.Count == 0)
        {
            minReferences = maxReferences = referenceStreams.Count;
        }

        return BleuStatistics.Create(hypothesisLength, referenceLength, matches, totals, minReferences, maxReferences);
    }

    /// <summary>Counts the statistics of one segment.</summary>
    /// <param name="hypothesis">The system output.</param>
    /// <param name="references">Its references; empty or <see langword="null"/> entries are ignored.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no non-empty reference.</exception>
    public BleuStatistics GetStatistics(string hypothesis, IReadOnlyList<string?> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        var matches = new long[_maxOrder];
        var totals = new long[_maxOrder];
        var hypothesisLength = CountSegment(hypothesis, references, matches, totals, out var refCount, out var refLength);
        return BleuStatistics.Create(hypothesisLength, refLength, matches, totals, refCount, refCount);
    }

    /// <summary>Computes BLEU from sufficient statistics (sacreBLEU's <c>compute_bleu</c>) with this scorer's smoothing.</summary>
    /// <param name="statistics">The statistics; their order must equal <see cref="MaxNGramOrder"/>.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The statistics were counted with another maximum order.</exception>
    public BleuScore Score(BleuStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.MaxOrder != _maxOrder)
        {
            throw new ArgumentException($"The statistics have order {statistics.MaxOrder}; this scorer uses order {_maxOrder}.", nameof(statistics));
        }

        var signature = GetSignature(statistics.MinReferences, statistics.MaxReferences);
        var sys = statistics.HypothesisLength;
        var @ref = statistics.ReferenceLength;
        var bp = sys < @ref ? (sys > 0 ? Math.Exp(1.0 - ((double)@ref / sys)) : 0.0) : 1.0;
        var precisions = new double[_maxOrder];
        var anyMatch = false;
        foreach (var m in statistics.Matches)
        {
            anyMatch |= m != 0;
        }

        if (!anyMatch)
        {
            return new BleuScore(0.0, precisions, bp, statistics, signature);
        }

        var smoothMteval = 1.0;
        var effectiveOrder = _maxOrder;
        for (var n = 1; n <= _maxOrder; n++)
        {
            double correct = statistics.Matches[n - 1];
            double total = statistics.Totals[n - 1];
            if (_smoothing == BleuSmoothing.AddK && n > 1)
            {
                correct += _smoothingValue;
                total += _smoothingValue;
            }

            if (total == 0)
            {
                break;
            }

            if (_effectiveOrder)
            {
                effectiveOrder = n;
            }

            if (correct == 0)
            {
                if (_smoothing == BleuSmoothing.Exponential)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total);
                }
                else if (_smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * _smoothingValue / total;
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * correct / total;
            }
        }

        var sum = 0.0;
        for (var i = 0; i < effectiveOrder; i++)
        {
            // sacreBLEU's my_log: log(0) is floored to -9999999999.
            sum += precisions[i] == 0.0 ? -9999999999.0 : Math.Log(precisions[i]);
        }

        return new BleuScore(bp * Math.Exp(sum / effectiveOrder), precisions, bp, statistics, signature);
    }

    /// <summary>Returns the sacreBLEU-style signature for the given reference counts.</summary>
    /// <param name="minReferences">The fewest references of any segment.</param>
    /// <param name="maxReferences">The most references of any segment.</param>
    /// <returns>For example <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x</c>.</returns>
    public string GetSignature(int minReferences = 1, int maxReferences = 1)
    {
        var culture = CultureInfo.InvariantCulture;
        var nrefs = minReferences == maxReferences ? minReferences.ToString(culture) : "var";
        var smooth = _smoothing switch
        {
            BleuSmoothing.None => "none",
            BleuSmoothing.Floor => "floor[" + _smoothingValue.ToString("F2", culture) + "]",
            BleuSmoothing.AddK => "add-k[" + _smoothingValue.ToString("F2", culture) + "]",
            _ => "exp",
        };
        var tok = _tokenizer == BleuTokenizer.None ? "none" : "13a";
        return $"nrefs:{nrefs}|case:{(_lowercase ? "lc" : "mixed")}|eff:{(_effectiveOrder ? "yes" : "no")}|tok:{tok}|smooth:{smooth}|version:{SacreBleuVersion}";
    }

    /// <summary>Lowercases (optionally), strips trailing white space and tokenizes a segment.</summary>
    internal string Preprocess(string segment)
    {
        if (_lowercase)
        {
            segment = segment.ToLowerInvariant();
        }

        segment = PythonText.RStrip(segment);
        return _tokenizer == BleuTokenizer.None ? PythonText.NormalizeSpaces(segment) : Mteval13aTokenizer.Tokenize(segment);
    }

    /// <summary>Adds one segment's matches and totals; returns the hypothesis length.</summary>
    private int CountSegment(string hypothesis, IReadOnlyList<string?> references, long[] matches, long[] totals, out int referenceCount, out int closestLength)
    {
        Dictionary<string, int>[]? referenceNGrams = null;
        List<int>? referenceLengths = null;
        foreach (var reference in references)
        {
            if (string.IsNullOrEmpty(reference))
            {
                continue;
            }

            var counts = WordNGrams.Count(Preprocess(reference), _maxOrder, out var length);
            (referenceLengths ??= new List<int>(references.Count)).Add(length);
            if (referenceNGrams is null)
            {
                referenceNGrams = counts;
                continue;
            }

            for (var n = 0; n < _maxOrder; n++)
            {
                var merged = referenceNGrams[n];
                foreach (var (ngram, count) in counts[n])
                {
                    if (!merged.TryGetValue(ngram, out var existing) || existing < count)
                    {
                        merged[ngram] = count;
                    }
                }
            }
        }

        if (referenceNGrams is null || referenceLengths is null)
        {
            throw new ArgumentException("A segment has no non-empty reference: give at least one reference for every hypothesis.", nameof(references));
        }

        var hypothesisNGrams = WordNGrams.Count(Preprocess(hypothesis), _maxOrder, out var hypothesisLength);
        for (var n = 0; n < _maxOrder; n++)
        {
            var reference = referenceNGrams[n];
            foreach (var (ngram, count) in hypothesisNGrams[n])
            {
                totals[n] += count;
                if (reference.TryGetValue(ngram, out var clip))
                {
                    matches[n] += Math.Min(count, clip);
                }
            }
        }

        referenceCount = referenceLengths.Count;
        closestLength = ClosestLength(hypothesisLength, referenceLengths);
        return hypothesisLength;
    }

    /// <summary>The reference length closest to the hypothesis length; ties go to the shorter reference.</summary>
    internal static int ClosestLength(int hypothesisLength, List<int> referenceLengths)
    {
        int closestDiff = -1, closest = -1;
        foreach (var length in referenceLengths)
        {
            var diff = Math.Abs(hypothesisLength - length);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closest = length;
            }
            else if (diff == closestDiff && length < closest)
            {
                closest = length;
            }
        }

        return closest;
    }
}
