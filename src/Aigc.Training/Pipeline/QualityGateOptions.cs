using System.ComponentModel.DataAnnotations;

namespace Aigc.Training;

/// <summary>The rule of a <see cref="PromotePipelineStep"/>: which metric decides, by what margin, and which aliases move.</summary>
public sealed record QualityGateOptions : IValidatableObject
{
    /// <summary>Gets the metric that decides (a name the evaluation delegate returns).</summary>
    [Required]
    public required string Metric { get; init; }

    /// <summary>Gets by how much the candidate must beat the champion on <see cref="Metric"/>.</summary>
    /// <value>The default value is <c>0</c> (any win; a tie keeps the champion unless the margin is 0).</value>
    public double Margin { get; init; }

    /// <summary>Gets whether a higher value of <see cref="Metric"/> is better (BLEU, accuracy) or a lower one (loss, perplexity).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool HigherIsBetter { get; init; } = true;

    /// <summary>Gets the alias that the winner takes.</summary>
    /// <value>The default value is <c>champion</c>.</value>
    public string Alias { get; init; } = "champion";

    /// <summary>Gets the alias a candidate that lost takes (so it can be served side by side), or <see langword="null"/> for none.</summary>
    /// <value>The default value is <c>challenger</c>.</value>
    public string? ChallengerAlias { get; init; } = "challenger";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Metric))
        {
            yield return new ValidationResult("The quality gate needs a metric to decide on.", [nameof(Metric)]);
        }

        if (!double.IsFinite(Margin) || Margin < 0)
        {
            yield return new ValidationResult($"The margin must be a finite number ≥ 0; it is {Margin}.", [nameof(Margin)]);
        }

        if (!ModelUri.IsValidAlias(Alias))
        {
            yield return new ValidationResult($"The alias '{Alias}' is not a valid alias.", [nameof(Alias)]);
        }

        if (ChallengerAlias is not null && (!ModelUri.IsValidAlias(ChallengerAlias) || ChallengerAlias == Alias))
        {
            yield return new ValidationResult($"The challenger alias '{ChallengerAlias}' is not a valid alias different from '{Alias}'.", [nameof(ChallengerAlias)]);
        }
    }

    /// <summary>Throws when the options are invalid, listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void EnsureValid()
    {
        var errors = Validate(new ValidationContext(this)).Select(r => r.ErrorMessage).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid quality gate options: " + string.Join(" ", errors));
        }
    }
}
