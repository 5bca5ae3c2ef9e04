using System.ComponentModel.DataAnnotations;

namespace Aigc.Monitoring;

/// <summary>
/// Settings of <see cref="ChrFScorer"/>. The defaults are sacreBLEU 2.x's chrF: character order 6, word order 0,
/// β = 2, case-sensitive, white space removed, effective-order averaging (no ε smoothing).
/// </summary>
public sealed class ChrFOptions
{
    /// <summary>Gets or sets the highest character n-gram order.</summary>
    /// <value>The default value is <c>6</c>.</value>
    [Range(1, 32)]
    public int CharOrder { get; set; } = 6;

    /// <summary>Gets or sets the highest word n-gram order (2 gives chrF++).</summary>
    /// <value>The default value is <c>0</c>.</value>
    [Range(0, 32)]
    public int WordOrder { get; set; }

    /// <summary>Gets or sets β, the weight of recall relative to precision.</summary>
    /// <value>The default value is <c>2</c>.</value>
    [Range(1, 100)]
    public int Beta { get; set; } = 2;

    /// <summary>Gets or sets whether segments are lowercased first.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Lowercase { get; set; }

    /// <summary>Gets or sets whether white space is kept inside character n-grams (by default it is removed first).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeWhitespace { get; set; }

    /// <summary>
    /// Gets or sets whether ε smoothing (chrF++.py, Moses, NLTK) replaces sacreBLEU's default averaging over the
    /// effective orders.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EpsilonSmoothing { get; set; }
}
