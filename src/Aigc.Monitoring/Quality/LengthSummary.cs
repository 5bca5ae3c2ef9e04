namespace Aigc.Monitoring;

/// <summary>The distribution of one length measure over a set of texts.</summary>
/// <param name="Count">The number of texts.</param>
/// <param name="Mean">The arithmetic mean.</param>
/// <param name="P50">The median (50th percentile, linear interpolation between order statistics).</param>
/// <param name="P90">The 90th percentile (linear interpolation between order statistics).</param>
/// <param name="Max">The largest value.</param>
public sealed record LengthSummary(int Count, double Mean, double P50, double P90, int Max)
{
    /// <summary>Summarizes lengths.</summary>
    /// <param name="lengths">The lengths; may be empty (every statistic is then 0).</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lengths"/> is <see langword="null"/>.</exception>
    public static LengthSummary FromLengths(IEnumerable<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var values = lengths.Select(static l => (double)l).ToArray();
        if (values.Length == 0)
        {
            return new LengthSummary(0, 0, 0, 0, 0);
        }

        Array.Sort(values);
        return new LengthSummary(values.Length, values.Average(), Quantiles.Linear(values, 0.5), Quantiles.Linear(values, 0.9), (int)values[^1]);
    }
}
