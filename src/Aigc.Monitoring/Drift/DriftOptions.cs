using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>
/// Settings of drift detection (<see cref="DriftDetector"/>, <see cref="DriftMonitor"/>), bound from
/// <c>Aigc:Monitoring:Drift</c>. A signal drifts when its PSI exceeds <see cref="PsiThreshold"/> or the
/// Kolmogorov–Smirnov p-value falls below <see cref="KsPValueThreshold"/>.
/// </summary>
public sealed class DriftOptions : IValidatableObject
{
    /// <summary>The name of the configuration section, below <c>Aigc</c>.</summary>
    public const string SectionName = "Monitoring:Drift";

    /// <summary>Gets or sets the PSI above which a signal drifts; 0 or less turns the PSI check off.</summary>
    /// <value>The default value is <c>0.2</c> (the customary "significant shift").</value>
    [Range(0.0, 100.0)]
    public double PsiThreshold { get; set; } = 0.2;

    /// <summary>Gets or sets the KS p-value below which a signal drifts (the test's α); 0 turns the KS check off.</summary>
    /// <value>The default value is <c>0.01</c>.</value>
    [Range(0.0, 1.0)]
    public double KsPValueThreshold { get; set; } = 0.01;

    /// <summary>Gets or sets the number of PSI bins (baseline quantiles).</summary>
    /// <value>The default value is <c>10</c>.</value>
    [Range(2, 1000)]
    public int Bins { get; set; } = PopulationStabilityIndex.DefaultBins;

    /// <summary>Gets or sets the proportion given to a PSI bin that is empty in a sample.</summary>
    /// <value>The default value is <c>1e-4</c>.</value>
    [Range(1e-12, 0.5)]
    public double Epsilon { get; set; } = PopulationStabilityIndex.DefaultEpsilon;

    /// <summary>Gets or sets how many recent values per signal the monitor keeps as the current window (and the size of a baseline window it takes itself).</summary>
    /// <value>The default value is <c>1000</c>.</value>
    [Range(10, 10_000_000)]
    public int WindowSize { get; set; } = 1000;

    /// <summary>Gets or sets the fewest values the baseline and the current window each need before a signal is checked.</summary>
    /// <value>The default value is <c>200</c>: PSI is biased upwards on small samples.</value>
    [Range(2, 10_000_000)]
    public int MinimumSamples { get; set; } = 200;

    /// <summary>Gets or sets after how many recorded values of a signal the monitor checks it again; 0 checks only when asked.</summary>
    /// <value>The default value is <c>100</c>.</value>
    [Range(0, 10_000_000)]
    public int CheckEvery { get; set; } = 100;

    /// <summary>
    /// Gets or sets whether a signal without a baseline takes its first full window (<see cref="WindowSize"/>
    /// values) as the baseline.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool BaselineFromFirstWindow { get; set; } = true;

    /// <summary>Checks the settings that depend on each other: the minimum sample must fit in the window.</summary>
    /// <param name="validationContext">The validation context.</param>
    /// <returns>The errors found.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinimumSamples > WindowSize)
        {
            yield return new ValidationResult(
                $"MinimumSamples ({MinimumSamples}) exceeds WindowSize ({WindowSize}): no check could ever run.",
                [nameof(MinimumSamples)]);
        }
    }
}
