namespace Aigc.Monitoring;

/// <summary>
/// The population stability index (PSI), a symmetric divergence between the binned distributions of a baseline
/// sample and a current sample.
/// </summary>
/// <remarks>
/// <para>
/// Binning: the inner edges are the baseline's k/B quantiles, k = 1…B−1 (B = bins, default 10; quantiles by
/// linear interpolation between order statistics, NumPy's default), so each bin holds about 1/B of the baseline.
/// Equal edges (many tied baseline values, for example discrete lengths) are merged, so there may be fewer than B
/// bins. The bins are (−∞, e₁], (e₁, e₂], …, (e_last, +∞); values outside the baseline's range fall into the
/// first or last bin. A bin's proportion is its count divided by the sample size; a bin that is empty in a sample
/// gets the proportion ε (default 1e-4) instead of 0, so that the logarithm is finite; the other proportions are
/// not renormalized.
/// </para>
/// <para>
/// PSI = Σᵢ (cᵢ − bᵢ)·ln(cᵢ / bᵢ). A common reading: below 0.1 no significant change, 0.1–0.2 a moderate shift,
/// above 0.2 a significant shift. Without any drift PSI is still positive, about (B−1)·(1/n + 1/m) for sample
/// sizes n and m, so use samples of a few hundred values or more before reading much into it.
/// </para>
/// </remarks>
public static class PopulationStabilityIndex
{
    /// <summary>The default number of bins, 10.</summary>
    public const int DefaultBins = 10;

    /// <summary>The default proportion of an empty bin, 1e-4.</summary>
    public const double DefaultEpsilon = 1e-4;

    /// <summary>Computes PSI with baseline-quantile bins.</summary>
    /// <param name="baseline">The baseline sample.</param>
    /// <param name="current">The current sample.</param>
    /// <param name="bins">The number of bins B, at least 2.</param>
    /// <param name="epsilon">The proportion given to an empty bin, in (0, 1).</param>
    /// <returns>The index with its bins.</returns>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is below 2 or <paramref name="epsilon"/> is not in (0, 1).</exception>
    public static PsiResult Compute(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current, int bins, double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (!(epsilon > 0 && epsilon < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must lie between 0 and 1 (exclusive).");
        }

        var sortedBaseline = Samples.SortedCopy(baseline, nameof(baseline));
        Samples.Check(current, nameof(current));

        var edges = new List<double>(bins - 1);
        for (var k = 1; k < bins; k++)
        {
            var edge = Quantiles.Linear(sortedBaseline, (double)k / bins);
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        var edgeArray = edges.ToArray();
        var baselineProportions = Proportions(sortedBaseline, edgeArray, epsilon);
        var currentProportions = Proportions(current, edgeArray, epsilon);
        var psi = 0.0;
        for (var i = 0; i < baselineProportions.Length; i++)
        {
            var b = baselineProportions[i];
            var c = currentProportions[i];
            psi += (c - b) * Math.Log(c / b);
        }

        return new PsiResult(psi, edgeArray, baselineProportions, currentProportions);
    }

    /// <summary>The share of values in each bin (count / size), ε for empty bins.</summary>
    private static double[] Proportions(ReadOnlySpan<double> values, double[] edges, double epsilon)
    {
        var counts = new long[edges.Length + 1];
        foreach (var value in values)
        {
            counts[BinOf(value, edges)]++;
        }

        var proportions = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            proportions[i] = counts[i] == 0 ? epsilon : (double)counts[i] / values.Length;
        }

        return proportions;
    }

    /// <summary>The number of edges below <paramref name="value"/>: bin i is (edges[i−1], edges[i]].</summary>
    private static int BinOf(double value, double[] edges)
    {
        int low = 0, high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (edges[middle] < value)
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
}
