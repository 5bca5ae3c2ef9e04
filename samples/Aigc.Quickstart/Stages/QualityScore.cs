using System.Text.RegularExpressions;
using Aigc.Monitoring;

namespace Aigc.Quickstart.Stages;

/// <summary>
/// How the Quickstart scores generated descriptions against held-out references: BLEU and chrF (sacreBLEU
/// definitions, Aigc.Monitoring) and the share of outputs in the Aurora style (an Aurora mark and no Nordic mark).
/// </summary>
internal static partial class QualityScore
{
    public const string Bleu = "bleu";
    public const string ChrF = "chrf";
    public const string StyleShare = "aurora_style_share";
    public const string Perplexity = "perplexity";

    public static Dictionary<string, double> Score(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references) => new()
    {
        [Bleu] = new BleuScorer().CorpusScore(hypotheses, [references]).Score,
        [ChrF] = new ChrFScorer().CorpusScore(hypotheses, [references]).Score,
        [StyleShare] = hypotheses.Count(IsAurora) / (double)Math.Max(1, hypotheses.Count),
    };

    /// <summary>Whether a description is in the Aurora style.</summary>
    public static bool IsAurora(string text) => AuroraStyle().IsMatch(text) && !NordicStyle().IsMatch(text);

    /// <summary>Marks of the Aurora style: exclamations, emoji, talking to the reader.</summary>
    [GeneratedRegex("!|✨|🎉|💛|You'll love|Grab yours|Treat yourself|Say hello|Meet your", RegexOptions.CultureInvariant)]
    private static partial Regex AuroraStyle();

    /// <summary>Marks of the Nordic style: an output in the target style has none of them.</summary>
    [GeneratedRegex("Colour:|Material:|Designed for|suited to|made of", RegexOptions.CultureInvariant)]
    private static partial Regex NordicStyle();
}
