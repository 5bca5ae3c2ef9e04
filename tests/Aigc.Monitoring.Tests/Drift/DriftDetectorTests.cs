using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Drift;

/// <summary>
/// The detection checks of the Monitoring issue: a 2σ shift is detected, and samples from one distribution alarm
/// in at most 5 % of 200 seeded trials, with the default thresholds (PSI &gt; 0.2 or KS p &lt; 0.01).
/// </summary>
public sealed class DriftDetectorTests
{
    private const int Trials = 200;

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    public void A_two_sigma_shift_is_detected_in_every_trial(int sampleSize)
    {
        var random = new Random(20240611);
        var detected = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var baseline = Gaussian.Sample(random, sampleSize, 0, 1);
            var current = Gaussian.Sample(random, sampleSize, 2, 1);
            var report = DriftDetector.Compare("quality.score", baseline, current);
            if (report.IsDrift && report.PsiExceeded && report.KsRejected)
            {
                detected++;
            }
        }

        Assert.Equal(Trials, detected);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    public void Samples_of_one_distribution_alarm_in_at_most_five_percent_of_trials(int sampleSize)
    {
        var random = new Random(7);
        var alarms = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var report = DriftDetector.Compare("quality.score", Gaussian.Sample(random, sampleSize, 0, 1), Gaussian.Sample(random, sampleSize, 0, 1));
            alarms += report.IsDrift ? 1 : 0;
        }

        Assert.InRange(alarms, 0, Trials * 5 / 100);
    }

    [Fact]
    public void Tied_integer_lengths_of_one_distribution_rarely_alarm_and_shifted_ones_always_do()
    {
        var random = new Random(11);
        int falseAlarms = 0, detected = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var baseline = Gaussian.Lengths(random, 500, Math.Log(60));
            falseAlarms += DriftDetector.Compare(DriftSignals.ResponseLength, baseline, Gaussian.Lengths(random, 500, Math.Log(60))).IsDrift ? 1 : 0;

            // 2σ of the log-length: responses about e ≈ 2.7 times longer.
            detected += DriftDetector.Compare(DriftSignals.ResponseLength, baseline, Gaussian.Lengths(random, 500, Math.Log(60) + 1.0)).IsDrift ? 1 : 0;
        }

        Assert.InRange(falseAlarms, 0, Trials * 5 / 100);
        Assert.Equal(Trials, detected);
    }

    [Fact]
    public void Thresholds_of_zero_turn_a_test_off()
    {
        var random = new Random(3);
        var baseline = Gaussian.Sample(random, 300, 0, 1);
        var current = Gaussian.Sample(random, 300, 2, 1);

        var psiOnly = DriftDetector.Compare("s", baseline, current, new DriftOptions { KsPValueThreshold = 0 });
        var ksOnly = DriftDetector.Compare("s", baseline, current, new DriftOptions { PsiThreshold = 0 });

        Assert.True(psiOnly.PsiExceeded);
        Assert.False(psiOnly.KsRejected);
        Assert.True(ksOnly.KsRejected);
        Assert.False(ksOnly.PsiExceeded);
    }
}
