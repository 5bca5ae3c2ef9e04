namespace Aigc.Monitoring;

/// <summary>
/// The mean and covariance of a set of feature vectors, as pytorch-fid keeps them (<c>mu</c>, <c>sigma</c>): the
/// covariance is the unbiased sample covariance (divided by N − 1, NumPy's <c>np.cov(rowvar=False)</c>), in double
/// precision. Keep the statistics of a reference set to compare many generated sets against it.
/// </summary>
public sealed class FeatureStatistics
{
    private readonly double[] _mean;
    private readonly double[] _covariance;

    /// <summary>Initializes a new instance of the <see cref="FeatureStatistics"/> class from a mean and a covariance (for example pytorch-fid's saved <c>mu</c> and <c>sigma</c>).</summary>
    /// <param name="mean">The mean, of length d.</param>
    /// <param name="covariance">The covariance, d × d, row by row; it must be symmetric.</param>
    /// <param name="count">The number of samples they came from.</param>
    /// <exception cref="ArgumentException">The lengths do not agree, a value is not finite, or the covariance is not symmetric.</exception>
    public FeatureStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> covariance, int count)
    {
        var d = mean.Length;
        if (d == 0 || covariance.Length != d * d)
        {
            throw new ArgumentException($"The covariance has {covariance.Length} values; a mean of length {d} needs a {d} × {d} covariance ({d * d} values, row by row).", nameof(covariance));
        }

        foreach (var value in mean)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("The mean has a value that is not finite.", nameof(mean));
            }
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var a = covariance[(i * d) + j];
                var b = covariance[(j * d) + i];
                if (!double.IsFinite(a) || Math.Abs(a - b) > 1e-9 * Math.Max(1, Math.Abs(a)))
                {
                    throw new ArgumentException($"The covariance is not a finite symmetric matrix (entries [{i},{j}] and [{j},{i}] are {a} and {b}).", nameof(covariance));
                }
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        _mean = mean.ToArray();
        _covariance = covariance.ToArray();
        Count = count;
    }

    /// <summary>Gets the feature dimension d.</summary>
    public int Dimension => _mean.Length;

    /// <summary>Gets the number of samples.</summary>
    public int Count { get; }

    /// <summary>Gets the mean.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Gets the covariance, d × d, row by row.</summary>
    public ReadOnlySpan<double> Covariance => _covariance;

    /// <summary>Computes the mean and the unbiased covariance of feature vectors.</summary>
    /// <param name="features">At least two vectors, all of the same length.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are fewer than two vectors, their lengths differ, or a value is not finite.</exception>
    public static FeatureStatistics FromFeatures(IReadOnlyList<ReadOnlyMemory<float>> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count < 2)
        {
            throw new ArgumentException($"The covariance needs at least two feature vectors; {features.Count} given.", nameof(features));
        }

        var d = features[0].Length;
        if (d == 0)
        {
            throw new ArgumentException("The feature vectors are empty.", nameof(features));
        }

        var mean = new double[d];
        for (var n = 0; n < features.Count; n++)
        {
            var vector = features[n].Span;
            if (vector.Length != d)
            {
                throw new ArgumentException($"Feature vector {n} has {vector.Length} values; the first has {d}.", nameof(features));
            }

            for (var i = 0; i < d; i++)
            {
                if (!float.IsFinite(vector[i]))
                {
                    throw new ArgumentException($"Feature vector {n} has a value that is not finite at {i}.", nameof(features));
                }

                mean[i] += vector[i];
            }
        }

        for (var i = 0; i < d; i++)
        {
            mean[i] /= features.Count;
        }

        var covariance = new double[d * d];
        var centered = new double[d];
        foreach (var memory in features)
        {
            var vector = memory.Span;
            for (var i = 0; i < d; i++)
            {
                centered[i] = vector[i] - mean[i];
            }

            for (var i = 0; i < d; i++)
            {
                var ci = centered[i];
                var row = i * d;
                for (var j = i; j < d; j++)
                {
                    covariance[row + j] += ci * centered[j];
                }
            }
        }

        var denominator = features.Count - 1.0;
        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                var value = covariance[(i * d) + j] / denominator;
                covariance[(i * d) + j] = value;
                covariance[(j * d) + i] = value;
            }
        }

        return new FeatureStatistics(mean, covariance, features.Count);
    }
}
