namespace Aigc.Monitoring;

/// <summary>
/// How BLEU treats an n-gram order with no matches (Chen and Cherry, 2014, "A Systematic Comparison of Smoothing
/// Techniques for Sentence-Level BLEU"), as in sacreBLEU's <c>--smooth-method</c>.
/// </summary>
public enum BleuSmoothing
{
    /// <summary>
    /// <c>exp</c> (sacreBLEU's default, the NIST smoothing of <c>mteval-v13a.pl</c>, Chen and Cherry's method 3):
    /// the k-th order with zero matches gets the precision <c>1 / (2^k · total)</c>.
    /// </summary>
    Exponential = 0,

    /// <summary><c>none</c>: no smoothing; a zero precision makes the score 0.</summary>
    None = 1,

    /// <summary><c>floor</c> (method 1): a zero match count is replaced by the smoothing value (default 0.1).</summary>
    Floor = 2,

    /// <summary><c>add-k</c> (method 2): the smoothing value (default 1) is added to the matches and totals of orders 2 and up.</summary>
    AddK = 3,
}
