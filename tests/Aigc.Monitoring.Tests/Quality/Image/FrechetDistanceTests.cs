namespace Aigc.Monitoring.Tests.Quality.Image;

public sealed class FrechetDistanceTests
{
    [Fact]
    public void One_dimension_is_the_squared_mean_gap_plus_the_squared_deviation_gap()
    {
        var a = new FeatureStatistics([1.0], [4.0], 10);
        var b = new FeatureStatistics([3.0], [9.0], 10);

        // (1 − 3)² + (2 − 3)².
        Assert.Equal(5.0, FrechetDistance.Compute(a, b), 1e-12);
        Assert.Equal(0.0, FrechetDistance.Compute(a, a), 1e-12);
    }

    [Fact]
    public void Non_commuting_covariances_match_the_two_by_two_closed_form()
    {
        // For 2 × 2, Tr √M = √(Tr M + 2 √det M); with Σ₁Σ₂ = [[2, 1], [0.5, 1]]: Tr 3, det 1.5.
        var a = new FeatureStatistics([0.0, 1.0], [2.0, 0.0, 0.0, 1.0], 100);
        var b = new FeatureStatistics([1.0, -1.0], [1.0, 0.5, 0.5, 1.0], 100);
        var expected = 1 + 4 + (3 + 2) - (2 * Math.Sqrt(3 + (2 * Math.Sqrt(1.5))));

        Assert.Equal(expected, FrechetDistance.Compute(a, b), 1e-10);
        Assert.Equal(expected, FrechetDistance.Compute(b, a), 1e-10);
    }

    [Fact]
    public void Gaussian_samples_approach_the_closed_form_of_their_distributions()
    {
        // Independent coordinates: d² = ‖μ₁ − μ₂‖² + Σᵢ (σ₁ᵢ − σ₂ᵢ)².
        double[] mean1 = [0, 1, -1], std1 = [1, 2, 0.5];
        double[] mean2 = [0.5, 1, 0], std2 = [1.5, 1, 0.5];
        var expected = 0.0;
        for (var i = 0; i < 3; i++)
        {
            expected += Math.Pow(mean1[i] - mean2[i], 2) + Math.Pow(std1[i] - std2[i], 2);
        }

        var first = Samples(mean1, std1, 40_000, seed: 1);
        var second = Samples(mean2, std2, 40_000, seed: 2);

        Assert.Equal(expected, FrechetDistance.Compute(first, second), 0.05);
        Assert.True(FrechetDistance.Compute(first, Samples(mean1, std1, 40_000, seed: 3)) < 0.01, "Two samples of one distribution are close.");
    }

    [Fact]
    public void Few_vectors_in_many_dimensions_give_the_same_distance_by_the_singular_value_route()
    {
        var random = new Random(5);
        ReadOnlyMemory<float>[] Set(int count, float shift) => Enumerable.Range(0, count)
            .Select(_ => (ReadOnlyMemory<float>)Enumerable.Range(0, 24).Select(i => (float)(random.NextDouble() + (shift * (i % 3)))).ToArray())
            .ToArray();
        var first = Set(7, 0f);
        var second = Set(10, 0.4f);

        var byFeatures = FrechetDistance.Compute(first, second);
        var byCovariances = FrechetDistance.Compute(FeatureStatistics.FromFeatures(first), FeatureStatistics.FromFeatures(second));

        Assert.True(byFeatures > 0.1);
        Assert.Equal(byCovariances, byFeatures, 1e-6);
    }

    [Fact]
    public void Covariance_is_unbiased_as_in_pytorch_fid()
    {
        var statistics = FeatureStatistics.FromFeatures([new float[] { 1, 2 }, new float[] { 2, 4 }, new float[] { 3, 6 }, new float[] { 4, 8 }]);

        Assert.Equal([2.5, 5.0], statistics.Mean.ToArray());
        // np.cov: Σ (x − x̄)² / (N − 1) = 5 / 3.
        Assert.Equal(5.0 / 3, statistics.Covariance[0], 1e-12);
        Assert.Equal(10.0 / 3, statistics.Covariance[1], 1e-12);
        Assert.Equal(20.0 / 3, statistics.Covariance[3], 1e-12);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_what_is_wrong()
    {
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => FeatureStatistics.FromFeatures([new float[] { 1 }])).Message, StringComparison.Ordinal);
        Assert.Contains("Feature vector 1 has 1 values", Assert.Throws<ArgumentException>(() => FeatureStatistics.FromFeatures([new float[] { 1, 2 }, new float[] { 1 }])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FeatureStatistics([0.0, 0.0], [1.0, 0.5, 0.0, 1.0], 3));
        var error = Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(new FeatureStatistics([0.0], [1.0], 2), new FeatureStatistics([0.0, 0.0], [1.0, 0, 0, 1.0], 2)));
        Assert.Contains("dimensions 1 and 2", error.Message, StringComparison.Ordinal);
    }

    private static ReadOnlyMemory<float>[] Samples(double[] mean, double[] std, int count, int seed)
    {
        var random = new Random(seed);
        var samples = new ReadOnlyMemory<float>[count];
        for (var n = 0; n < count; n++)
        {
            var vector = new float[mean.Length];
            for (var i = 0; i < vector.Length; i++)
            {
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                vector[i] = (float)(mean[i] + (std[i] * normal));
            }

            samples[n] = vector;
        }

        return samples;
    }
}
