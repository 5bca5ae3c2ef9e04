using System.Text.RegularExpressions;

namespace Aigc.Monitoring;

/// <summary>
/// sacreBLEU's <c>13a</c> tokenizer (<c>tokenizer_13a.py</c> + <c>tokenizer_re.py</c>), which reproduces the
/// tokenization of <c>mteval-v13a.pl</c> used by WMT.
/// </summary>
internal static partial class Mteval13aTokenizer
{
    /// <summary>Tokenizes one segment the way sacreBLEU's <c>Tokenizer13a.__call__</c> does.</summary>
    /// <param name="line">The segment.</param>
    /// <returns>The tokens joined by single spaces.</returns>
    public static string Tokenize(string line)
    {
        // Language-independent part.
        line = line.Replace("<skipped>", string.Empty, StringComparison.Ordinal)
            .Replace("-\n", string.Empty, StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);
        line = " " + line + " ";

        // Language-dependent part (assuming Western languages).
        line = Punctuation().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return PythonText.NormalizeSpaces(line);
    }

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])", RegexOptions.CultureInvariant)]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();
}
