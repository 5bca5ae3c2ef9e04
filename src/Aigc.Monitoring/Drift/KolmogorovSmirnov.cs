namespace Aigc.Monitoring;

/// <summary>The two-sample Kolmogorov–Smirnov test with its asymptotic p-value.</summary>
/// <remarks>
/// <para>
/// The statistic is D = supₓ |F₁(x) − F₂(x)| over the empirical distribution functions of the two samples (ties
/// handled exactly: all values equal to x are stepped over before the distance is taken).
/// </para>
/// <para>
/// The p-value is asymptotic: with the effective size Nₑ = n·m / (n + m) and Stephens' (1970) small-sample
/// correction λ = (√Nₑ + 0.12 + 0.11/√Nₑ)·D, p = Q(λ), where Q(λ) = 2 Σₖ₌₁^∞ (−1)^(k−1) e^(−2k²λ²) is the
/// survival function of the Kolmogorov distribution (for λ &lt; 1.18 the equivalent, faster-converging series
/// 1 − (√(2π)/λ) Σₖ₌₁^∞ e^(−(2k−1)²π²/(8λ²)) is summed). This is the approximation of Numerical Recipes'
/// <c>kstwo</c> and of SciPy's former <c>ks_2samp</c>; it is accurate when Nₑ is a few dozen or more. It assumes
/// continuous data: with many ties (for example small integer lengths) it is conservative.
/// </para>
/// </remarks>
public static class KolmogorovSmirnov
{
    /// <summary>Runs the two-sample test.</summary>
    /// <param name="baseline">The first sample.</param>
    /// <param name="current">The second sample.</param>
    /// <returns>D and its asymptotic p-value.</returns>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN.</exception>
    public static KsResult TwoSample(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current)
    {
        var a = Samples.SortedCopy(baseline, nameof(baseline));
        var b = Samples.SortedCopy(current, nameof(current));
        var d = Statistic(a, b);
        double n = a.Length, m = b.Length;
        var en = Math.Sqrt(n * m / (n + m));
        return new KsResult(d, Survival((en + 0.12 + (0.11 / en)) * d));
    }

    /// <summary>D of two sorted samples.</summary>
    internal static double Statistic(double[] a, double[] b)
    {
        int i = 0, j = 0;
        var d = 0.0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == x)
            {
                i++;
            }

            while (j < b.Length && b[j] == x)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }

        return d;
    }

    /// <summary>Q(λ) = P(K &gt; λ), the survival function of the Kolmogorov distribution.</summary>
    internal static double Survival(double lambda)
    {
        if (lambda <= 0)
        {
            return 1.0;
        }

        if (lambda < 1.18)
        {
            // 1 − P(K ≤ λ) with P(K ≤ λ) = (√(2π)/λ) Σ exp(−(2k−1)²π²/(8λ²)).
            var factor = -Math.PI * Math.PI / (8 * lambda * lambda);
            var sum = 0.0;
            for (var k = 1; k <= 50; k++)
            {
                var odd = (2 * k) - 1;
                var term = Math.Exp(factor * odd * odd);
                sum += term;
                if (term < 1e-17 * sum)
                {
                    break;
                }
            }

            return Math.Clamp(1.0 - (Math.Sqrt(2 * Math.PI) / lambda * sum), 0.0, 1.0);
        }

        var exponent = -2 * lambda * lambda;
        var total = 0.0;
        var sign = 1.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(exponent * k * k);
            total += sign * term;
            if (term < 1e-17 * total)
            {
                break;
            }

            sign = -sign;
        }

        return Math.Clamp(2 * total, 0.0, 1.0);
    }
}
