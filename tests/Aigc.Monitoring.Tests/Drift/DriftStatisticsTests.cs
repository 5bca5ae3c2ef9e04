using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Drift;

public sealed class DriftStatisticsTests
{
    [Theory]
    // scipy.special.kolmogorov(x), the survival function of the Kolmogorov distribution.
    [InlineData(0.5, 0.9639452436648751)]
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(2.0, 0.0006709252557796953)]
    public void Kolmogorov_survival_function_matches_reference_values(double lambda, double expected)
    {
        Assert.Equal(expected, KolmogorovSmirnov.Survival(lambda), 12);
    }

    [Fact]
    public void Kolmogorov_survival_function_is_continuous_where_the_series_switch()
    {
        Assert.Equal(KolmogorovSmirnov.Survival(1.18 - 1e-12), KolmogorovSmirnov.Survival(1.18), 10);
        Assert.Equal(1.0, KolmogorovSmirnov.Survival(0.0));
        Assert.Equal(1.0, KolmogorovSmirnov.Survival(0.05), 12);
    }

    [Fact]
    public void Ks_statistic_is_the_largest_ecdf_distance_with_ties_stepped_over()
    {
        Assert.Equal(1.0, KolmogorovSmirnov.TwoSample([1, 2, 3], [4, 5, 6]).Statistic);
        Assert.Equal(0.0, KolmogorovSmirnov.TwoSample([1, 2, 3], [3, 2, 1]).Statistic);

        // F_a(1) = 2/3, F_b(1) = 1/3; at 2 both are 1.
        Assert.Equal(1.0 / 3, KolmogorovSmirnov.TwoSample([1, 1, 2], [1, 2, 2]).Statistic, 12);
    }

    [Fact]
    public void Ks_p_value_uses_the_stephens_corrected_asymptotic_distribution()
    {
        var a = Enumerable.Range(0, 100).Select(static i => (double)i).ToArray();
        var b = Enumerable.Range(20, 100).Select(static i => (double)i).ToArray();
        var result = KolmogorovSmirnov.TwoSample(a, b);

        Assert.Equal(0.2, result.Statistic, 12);
        var en = Math.Sqrt(50.0);
        Assert.Equal(KolmogorovSmirnov.Survival((en + 0.12 + (0.11 / en)) * 0.2), result.PValue, 13);
        Assert.InRange(result.PValue, 0.030, 0.033);
    }

    [Fact]
    public void Psi_bins_on_baseline_quantiles()
    {
        double[] baseline = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        // Two bins: the edge is the baseline median 5.5; the current sample has 5 values ≤ 5.5 and 3 above.
        var psi = PopulationStabilityIndex.Compute(baseline, [1, 2, 3, 4, 5, 6, 7, 8], bins: 2, epsilon: 1e-4);

        Assert.Equal([5.5], psi.Edges);
        Assert.Equal([0.5, 0.5], psi.BaselineProportions);
        Assert.Equal([0.625, 0.375], psi.CurrentProportions);
        Assert.Equal((0.125 * Math.Log(1.25)) + (-0.125 * Math.Log(0.75)), psi.Value, 12);
    }

    [Fact]
    public void Psi_gives_empty_bins_epsilon()
    {
        double[] baseline = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var psi = PopulationStabilityIndex.Compute(baseline, [1, 2, 3], bins: 2, epsilon: 1e-4);

        Assert.Equal([1.0, 1e-4], psi.CurrentProportions);
        Assert.Equal((0.5 * Math.Log(2)) + ((1e-4 - 0.5) * Math.Log(1e-4 / 0.5)), psi.Value, 12);
        Assert.Equal(0.0, PopulationStabilityIndex.Compute(baseline, baseline, 10, 1e-4).Value, 12);
    }

    [Fact]
    public void Psi_merges_equal_edges_of_tied_baselines()
    {
        double[] baseline = [3, 3, 3, 3, 3, 3, 3, 3, 4, 5];
        var psi = PopulationStabilityIndex.Compute(baseline, [3, 4, 5], bins: 10, epsilon: 1e-4);

        Assert.True(psi.Edges.Count < 9);
        Assert.Equal(psi.Edges.Count + 1, psi.BaselineProportions.Count);
        Assert.Equal(psi.Edges.Distinct().Count(), psi.Edges.Count);
    }

    [Fact]
    public void Samples_with_nan_or_nothing_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([1, double.NaN], [1]));
        Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.Compute([1, 2], ReadOnlySpan<double>.Empty, 10, 1e-4));
    }
}
