using System.ComponentModel.DataAnnotations;

namespace Aigc.Inference;

/// <summary>
/// Beam search settings (as in Hugging Face <c>generate</c>): the request keeps <see cref="BeamWidth"/> hypotheses,
/// extends each by every token, keeps the best by summed log-probability, and returns the best finished hypothesis
/// by <c>score / length^LengthPenalty</c>.
/// </summary>
/// <remarks>
/// A beam request uses <see cref="BeamWidth"/> of the engine's running sequences and returns its tokens when it
/// ends (a beam is not final until then). Temperature, top-k, top-p and seeds do not apply; repetition penalty and
/// no-repeat n-gram size do.
/// </remarks>
public sealed record BeamSearchOptions
{
    /// <summary>Gets the number of hypotheses kept at each step (2 or more).</summary>
    /// <value>The default value is <c>4</c>.</value>
    [Range(2, 64)]
    public int BeamWidth { get; init; } = 4;

    /// <summary>
    /// Gets the exponent of the length normalisation: finished hypotheses are ranked by
    /// <c>sum of log-probabilities / generated length^LengthPenalty</c>; above 0 favours longer outputs.
    /// </summary>
    /// <value>The default value is <c>1.0</c>.</value>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>
    /// Gets whether the search stops as soon as <see cref="BeamWidth"/> hypotheses have finished; otherwise it goes on
    /// while a running hypothesis could still beat the worst finished one.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EarlyStopping { get; init; } = true;
}
