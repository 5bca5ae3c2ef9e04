using System.Globalization;
using System.Text;

namespace Aigc.Monitoring;

/// <summary>A BLEU score with its parts, printed the way sacreBLEU prints it.</summary>
public sealed class BleuScore
{
    internal BleuScore(double score, double[] precisions, double brevityPenalty, BleuStatistics statistics, string signature)
    {
        Score = score;
        Precisions = precisions;
        BrevityPenalty = brevityPenalty;
        Statistics = statistics;
        Signature = signature;
    }

    /// <summary>Gets the BLEU score, 0–100.</summary>
    public double Score { get; }

    /// <summary>Gets the (smoothed) n-gram precisions, 0–100, order 1 first.</summary>
    public IReadOnlyList<double> Precisions { get; }

    /// <summary>Gets the brevity penalty: 1 when the hypotheses are at least as long as the references, else <c>exp(1 − r/c)</c>.</summary>
    public double BrevityPenalty { get; }

    /// <summary>Gets the hypothesis length divided by the reference length (0 when the reference length is 0).</summary>
    public double Ratio => Statistics.ReferenceLength == 0 ? 0 : (double)Statistics.HypothesisLength / Statistics.ReferenceLength;

    /// <summary>Gets the sufficient statistics the score was computed from.</summary>
    public BleuStatistics Statistics { get; }

    /// <summary>Gets the sacreBLEU-style signature, for example <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x</c>.</summary>
    public string Signature { get; }

    /// <summary>
    /// Returns the score as sacreBLEU prints it, for example
    /// <c>BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)</c>.
    /// </summary>
    /// <returns>The formatted score.</returns>
    public override string ToString() => Format(withSignature: false);

    /// <summary>Returns the score as sacreBLEU prints it, optionally with the signature (<c>BLEU|nrefs:1|… = 48.53 …</c>).</summary>
    /// <param name="withSignature">Whether to include the signature after the metric name.</param>
    /// <param name="decimals">The decimals of the score.</param>
    /// <returns>The formatted score.</returns>
    public string Format(bool withSignature, int decimals = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var culture = CultureInfo.InvariantCulture;
        var builder = new StringBuilder("BLEU");
        if (withSignature)
        {
            builder.Append('|').Append(Signature);
        }

        builder.Append(" = ").Append(Score.ToString("F" + decimals.ToString(culture), culture)).Append(' ');
        for (var i = 0; i < Precisions.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            builder.Append(Precisions[i].ToString("F1", culture));
        }

        builder.Append(culture, $" (BP = {BrevityPenalty:F3} ratio = {Ratio:F3} hyp_len = {Statistics.HypothesisLength} ref_len = {Statistics.ReferenceLength})");
        return builder.ToString();
    }
}
