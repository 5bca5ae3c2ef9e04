namespace Aigc.Monitoring;

/// <summary>
/// BLEU's sufficient statistics over one or more segments: hypothesis and closest-reference lengths, and per
/// n-gram order the clipped matches and the hypothesis n-gram totals. Statistics of disjoint segment sets add up,
/// so a monitor can keep them per time window and score any union of windows with <see cref="BleuScorer.Score(BleuStatistics)"/>.
/// </summary>
public sealed class BleuStatistics
{
    private readonly long[] _matches;
    private readonly long[] _totals;

    /// <summary>Initializes statistics from their parts.</summary>
    /// <param name="hypothesisLength">The number of hypothesis words.</param>
    /// <param name="referenceLength">The summed closest-reference lengths.</param>
    /// <param name="matches">The clipped n-gram matches, order 1 first.</param>
    /// <param name="totals">The hypothesis n-gram counts, order 1 first.</param>
    /// <param name="minReferences">The fewest references any segment had.</param>
    /// <param name="maxReferences">The most references any segment had.</param>
    /// <exception cref="ArgumentNullException"><paramref name="matches"/> or <paramref name="totals"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The arrays differ in length or are empty, or a count is negative.</exception>
    public BleuStatistics(long hypothesisLength, long referenceLength, IReadOnlyList<long> matches, IReadOnlyList<long> totals, int minReferences = 1, int maxReferences = 1)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(totals);
        if (matches.Count == 0 || matches.Count != totals.Count)
        {
            throw new ArgumentException("Matches and totals need one entry per n-gram order, and the same number of entries.", nameof(matches));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(hypothesisLength);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceLength);
        _matches = [.. matches];
        _totals = [.. totals];
        foreach (var value in _matches)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(matches));
        }

        foreach (var value in _totals)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(totals));
        }

        HypothesisLength = hypothesisLength;
        ReferenceLength = referenceLength;
        MinReferences = minReferences;
        MaxReferences = maxReferences;
    }

    private BleuStatistics(long hypothesisLength, long referenceLength, long[] matches, long[] totals, int minReferences, int maxReferences, bool _)
    {
        HypothesisLength = hypothesisLength;
        ReferenceLength = referenceLength;
        _matches = matches;
        _totals = totals;
        MinReferences = minReferences;
        MaxReferences = maxReferences;
    }

    /// <summary>Gets the number of hypothesis words (after tokenization).</summary>
    public long HypothesisLength { get; }

    /// <summary>Gets the summed length of each segment's closest reference (ties go to the shorter one).</summary>
    public long ReferenceLength { get; }

    /// <summary>Gets the clipped n-gram matches per order, order 1 first.</summary>
    public IReadOnlyList<long> Matches => _matches;

    /// <summary>Gets the hypothesis n-gram counts per order, order 1 first.</summary>
    public IReadOnlyList<long> Totals => _totals;

    /// <summary>Gets the fewest non-empty references a segment had.</summary>
    public int MinReferences { get; }

    /// <summary>Gets the most non-empty references a segment had.</summary>
    public int MaxReferences { get; }

    /// <summary>Gets the highest n-gram order counted.</summary>
    public int MaxOrder => _matches.Length;

    /// <summary>Returns the statistics of both segment sets together.</summary>
    /// <param name="other">Statistics counted with the same maximum order.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The two were counted with different maximum orders.</exception>
    public BleuStatistics Add(BleuStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.MaxOrder != MaxOrder)
        {
            throw new ArgumentException($"Statistics of order {other.MaxOrder} cannot be added to statistics of order {MaxOrder}.", nameof(other));
        }

        var matches = new long[MaxOrder];
        var totals = new long[MaxOrder];
        for (var i = 0; i < MaxOrder; i++)
        {
            matches[i] = _matches[i] + other._matches[i];
            totals[i] = _totals[i] + other._totals[i];
        }

        return new BleuStatistics(
            HypothesisLength + other.HypothesisLength,
            ReferenceLength + other.ReferenceLength,
            matches,
            totals,
            Math.Min(MinReferences, other.MinReferences),
            Math.Max(MaxReferences, other.MaxReferences),
            false);
    }

    internal static BleuStatistics Create(long hypothesisLength, long referenceLength, long[] matches, long[] totals, int minReferences, int maxReferences) =>
        new(hypothesisLength, referenceLength, matches, totals, minReferences, maxReferences, false);
}
