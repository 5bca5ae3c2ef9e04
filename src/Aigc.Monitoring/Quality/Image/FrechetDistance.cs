using MathNet.Numerics.LinearAlgebra;

namespace Aigc.Monitoring;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets — FID when the features are Inception-v3
/// pool3 activations (Heusel et al. 2017): d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2·(Σ₁Σ₂)^½). Lower is better; 0 for
/// identical statistics.
/// </summary>
/// <remarks>
/// <para>
/// Conventions follow pytorch-fid: unbiased covariances (N − 1, see <see cref="FeatureStatistics"/>), double
/// precision, and the squared distance itself is reported (no square root). Tr((Σ₁Σ₂)^½) is computed as
/// Σᵢ √λᵢ over the eigenvalues of the symmetric positive semi-definite Σ₁^½ Σ₂ Σ₁^½ (similar to Σ₁Σ₂, so the same
/// trace as pytorch-fid's <c>scipy.linalg.sqrtm(sigma1 @ sigma2)</c>), with symmetric eigendecompositions from
/// MathNet.Numerics; eigenvalues that rounding pushes below zero count as zero, where pytorch-fid adds 1e-6 to the
/// diagonals when <c>sqrtm</c> fails — the two agree to that order.
/// </para>
/// <para>
/// The value depends on the feature extractor, its preprocessing and the sample size (it is biased upwards for small
/// N): compare FIDs only when all three match. pytorch-fid's reference numbers use Inception-v3 with 2,048 features
/// and 50,000 images.
/// </para>
/// </remarks>
public static class FrechetDistance
{
    /// <summary>Computes the squared Fréchet distance between two feature sets' statistics.</summary>
    /// <param name="first">The first set's statistics (for example the real images').</param>
    /// <param name="second">The second set's statistics (for example the generated images').</param>
    /// <returns>d², ≥ 0.</returns>
    /// <exception cref="ArgumentNullException">A set is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The dimensions differ.</exception>
    public static double Compute(FeatureStatistics first, FeatureStatistics second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Dimension != second.Dimension)
        {
            throw new ArgumentException($"The feature sets have dimensions {first.Dimension} and {second.Dimension}; they must come from the same extractor.", nameof(second));
        }

        var d = first.Dimension;
        var meanTerm = 0.0;
        for (var i = 0; i < d; i++)
        {
            var delta = first.Mean[i] - second.Mean[i];
            meanTerm += delta * delta;
        }

        var sigma1 = Matrix<double>.Build.Dense(d, d, first.Covariance.ToArray()).Transpose();
        var sigma2 = Matrix<double>.Build.Dense(d, d, second.Covariance.ToArray()).Transpose();
        var root1 = SymmetricSquareRoot(sigma1);
        var product = root1 * sigma2 * root1;
        product = (product + product.Transpose()) * 0.5;
        var traceRoot = 0.0;
        foreach (var eigenvalue in product.Evd(Symmetricity.Symmetric).EigenValues)
        {
            traceRoot += Math.Sqrt(Math.Max(eigenvalue.Real, 0));
        }

        var distance = meanTerm + sigma1.Trace() + sigma2.Trace() - (2 * traceRoot);
        return Math.Max(distance, 0);
    }

    /// <summary>Computes the squared Fréchet distance between two feature sets.</summary>
    /// <param name="first">The first set's feature vectors (at least two).</param>
    /// <param name="second">The second set's feature vectors (at least two), of the same length.</param>
    /// <returns>d², ≥ 0.</returns>
    /// <remarks>
    /// When both sets have fewer vectors than dimensions, the trace term comes from the centered features instead
    /// of the d × d covariances: with X₁, X₂ the centered sets (rows = vectors), the non-zero eigenvalues of Σ₁Σ₂
    /// are the squared singular values of X₁X₂ᵀ / √((N₁ − 1)(N₂ − 1)), so Tr((Σ₁Σ₂)^½) is their sum — the same value
    /// for an N₁ × N₂ singular value decomposition instead of d × d eigendecompositions.
    /// </remarks>
    /// <exception cref="ArgumentNullException">A set is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A set has fewer than two vectors, or the lengths differ.</exception>
    public static double Compute(IReadOnlyList<ReadOnlyMemory<float>> first, IReadOnlyList<ReadOnlyMemory<float>> second)
    {
        var a = FeatureStatistics.FromFeatures(first);
        var b = FeatureStatistics.FromFeatures(second);
        if (a.Dimension != b.Dimension)
        {
            throw new ArgumentException($"The feature sets have dimensions {a.Dimension} and {b.Dimension}; they must come from the same extractor.", nameof(second));
        }

        if (Math.Max(a.Count, b.Count) >= a.Dimension)
        {
            return Compute(a, b);
        }

        var d = a.Dimension;
        var meanTerm = 0.0;
        var traces = 0.0;
        for (var i = 0; i < d; i++)
        {
            var delta = a.Mean[i] - b.Mean[i];
            meanTerm += delta * delta;
            traces += a.Covariance[(i * d) + i] + b.Covariance[(i * d) + i];
        }

        var x1 = Centered(first, a);
        var x2 = Centered(second, b);
        var cross = x1 * x2.Transpose();
        var traceRoot = cross.Svd(computeVectors: false).S.Sum() / Math.Sqrt((a.Count - 1.0) * (b.Count - 1.0));
        return Math.Max(meanTerm + traces - (2 * traceRoot), 0);
    }

    private static Matrix<double> Centered(IReadOnlyList<ReadOnlyMemory<float>> features, FeatureStatistics statistics)
    {
        var mean = statistics.Mean.ToArray();
        return Matrix<double>.Build.Dense(features.Count, statistics.Dimension, (row, column) => features[row].Span[column] - mean[column]);
    }

    /// <summary>The principal square root of a symmetric positive semi-definite matrix: V·diag(√max(λ, 0))·Vᵀ.</summary>
    private static Matrix<double> SymmetricSquareRoot(Matrix<double> matrix)
    {
        var evd = matrix.Evd(Symmetricity.Symmetric);
        var vectors = evd.EigenVectors;
        var roots = Vector<double>.Build.Dense(matrix.RowCount, i => Math.Sqrt(Math.Max(evd.EigenValues[i].Real, 0)));
        return vectors * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * vectors.Transpose();
    }
}
