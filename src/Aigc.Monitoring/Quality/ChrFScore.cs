using System.Globalization;

namespace Aigc.Monitoring;

/// <summary>A chrF score, printed the way sacreBLEU prints it (<c>chrF2 = 59.73</c>).</summary>
public sealed class ChrFScore
{
    internal ChrFScore(double score, string name, IReadOnlyList<long> statistics, string signature)
    {
        Score = score;
        Name = name;
        Statistics = statistics;
        Signature = signature;
    }

    /// <summary>Gets the score, 0–100.</summary>
    public double Score { get; }

    /// <summary>Gets the metric name: <c>chrF</c>, β, and one <c>+</c> per word order (<c>chrF2</c>, <c>chrF2++</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Gets the summed statistics: for each order (character orders first, then word orders) the hypothesis
    /// n-gram count, the reference n-gram count and the matches.
    /// </summary>
    public IReadOnlyList<long> Statistics { get; }

    /// <summary>Gets the sacreBLEU-style signature, for example <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.x</c>.</summary>
    public string Signature { get; }

    /// <summary>Returns the score as sacreBLEU prints it, for example <c>chrF2 = 59.73</c>.</summary>
    /// <returns>The formatted score.</returns>
    public override string ToString() => Format(withSignature: false);

    /// <summary>Returns the score as sacreBLEU prints it, optionally with the signature (<c>chrF2|nrefs:1|… = 59.73</c>).</summary>
    /// <param name="withSignature">Whether to include the signature after the metric name.</param>
    /// <param name="decimals">The decimals of the score.</param>
    /// <returns>The formatted score.</returns>
    public string Format(bool withSignature, int decimals = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var culture = CultureInfo.InvariantCulture;
        var name = withSignature ? Name + "|" + Signature : Name;
        return name + " = " + Score.ToString("F" + decimals.ToString(culture), culture);
    }
}
