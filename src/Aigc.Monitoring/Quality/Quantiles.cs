namespace Aigc.Monitoring;

/// <summary>Sample quantiles.</summary>
internal static class Quantiles
{
    /// <summary>
    /// The q-quantile of sorted values by linear interpolation between order statistics (Hyndman and Fan's type 7,
    /// the default of NumPy's <c>percentile</c> and R's <c>quantile</c>): h = (n − 1)·q,
    /// Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
    /// </summary>
    public static double Linear(ReadOnlySpan<double> sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(h);
        if (lower >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        return sorted[lower] + ((h - lower) * (sorted[lower + 1] - sorted[lower]));
    }
}
