using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aigc.Monitoring;

/// <summary>
/// Exact match: 1 when the prediction equals the reference after the chosen normalization, else 0. Over a set of
/// pairs, <see cref="Rate"/> is the share that match.
/// </summary>
public static partial class ExactMatch
{
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Compares a prediction with a reference.</summary>
    /// <param name="prediction">The generated text.</param>
    /// <param name="reference">The expected text.</param>
    /// <param name="normalization">What to normalize in both before the ordinal comparison.</param>
    /// <returns>Whether they match.</returns>
    /// <exception cref="ArgumentNullException">A text is <see langword="null"/>.</exception>
    public static bool IsMatch(string prediction, string reference, ExactMatchNormalization normalization = ExactMatchNormalization.Trim)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(reference);
        return string.Equals(Normalize(prediction, normalization), Normalize(reference, normalization), StringComparison.Ordinal);
    }

    /// <summary>Computes the share of pairs that match.</summary>
    /// <param name="pairs">The (prediction, reference) pairs.</param>
    /// <param name="normalization">What to normalize before comparing.</param>
    /// <returns>Matches / pairs, in [0, 1]; 0 when there are no pairs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pairs"/> or a text is <see langword="null"/>.</exception>
    public static double Rate(IEnumerable<(string Prediction, string Reference)> pairs, ExactMatchNormalization normalization = ExactMatchNormalization.Trim)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        int total = 0, matched = 0;
        foreach (var (prediction, reference) in pairs)
        {
            total++;
            if (IsMatch(prediction, reference, normalization))
            {
                matched++;
            }
        }

        return total == 0 ? 0.0 : (double)matched / total;
    }

    /// <summary>Applies the normalization steps to a text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="normalization">The steps.</param>
    /// <returns>The normalized text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string Normalize(string text, ExactMatchNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (normalization.HasFlag(ExactMatchNormalization.UnicodeCompatibility))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        if (normalization.HasFlag(ExactMatchNormalization.Lowercase))
        {
            text = text.ToLowerInvariant();
        }

        if (normalization.HasFlag(ExactMatchNormalization.RemovePunctuation))
        {
            var builder = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                if (!IsPunctuation(rune))
                {
                    builder.Append(rune.ToString());
                }
            }

            text = builder.ToString();
        }

        if (normalization.HasFlag(ExactMatchNormalization.RemoveArticles))
        {
            text = Articles().Replace(text, " ");
        }

        if (normalization.HasFlag(ExactMatchNormalization.CollapseWhitespace))
        {
            text = Whitespace().Replace(text, " ");
        }

        if (normalization.HasFlag(ExactMatchNormalization.Trim))
        {
            text = text.Trim();
        }

        return text;
    }

    private static bool IsPunctuation(Rune rune) =>
        (rune.IsAscii && AsciiPunctuation.Contains((char)rune.Value, StringComparison.Ordinal)) || IsPunctuation(Rune.GetUnicodeCategory(rune));

    private static bool IsPunctuation(UnicodeCategory category) => category is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Articles();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
