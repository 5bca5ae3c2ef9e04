using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>
/// Settings of <see cref="BleuScorer"/>. The defaults are sacreBLEU 2.x's: case-sensitive, <c>13a</c> tokenizer,
/// exponential smoothing, n-gram order 4, no effective order.
/// </summary>
public sealed class BleuOptions
{
    /// <summary>Gets or sets whether hypotheses and references are lowercased first (sacreBLEU's <c>--lowercase</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Lowercase { get; set; }

    /// <summary>Gets or sets the tokenizer.</summary>
    /// <value>The default value is <see cref="BleuTokenizer.Mteval13a"/>.</value>
    public BleuTokenizer Tokenizer { get; set; } = BleuTokenizer.Mteval13a;

    /// <summary>Gets or sets the smoothing method.</summary>
    /// <value>The default value is <see cref="BleuSmoothing.Exponential"/>.</value>
    public BleuSmoothing Smoothing { get; set; } = BleuSmoothing.Exponential;

    /// <summary>
    /// Gets or sets the smoothing value of <see cref="BleuSmoothing.Floor"/> and <see cref="BleuSmoothing.AddK"/>;
    /// <see langword="null"/> uses the method's default (0.1 for floor, 1 for add-k).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(0.0, double.MaxValue)]
    public double? SmoothingValue { get; set; }

    /// <summary>Gets or sets the highest n-gram order whose precision enters the geometric mean.</summary>
    /// <value>The default value is <c>4</c>.</value>
    [Range(1, 32)]
    public int MaxNGramOrder { get; set; } = 4;

    /// <summary>
    /// Gets or sets whether orders the hypothesis has no n-grams of are left out of the mean (sacreBLEU's
    /// <c>effective_order</c>; recommended for sentence-level BLEU, off for corpus BLEU).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EffectiveOrder { get; set; }
}
