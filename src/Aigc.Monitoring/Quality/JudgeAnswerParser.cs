using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aigc.Monitoring;

/// <summary>
/// Reads a score out of a judge model's answer. Tried in order: a JSON object with a numeric (or numeric string)
/// <c>score</c> property (anywhere in the answer, fenced or not); the last <c>score: n</c> or <c>score = n</c>
/// (any case, optionally bold); an answer that is just a number, optionally written as <c>n/max</c>.
/// </summary>
internal static partial class JudgeAnswerParser
{
    public static bool TryParse(string answer, out double score, out string? explanation)
    {
        explanation = null;
        if (TryParseJson(answer, out score, out explanation))
        {
            return true;
        }

        var matches = ScoreLine().Matches(answer);
        if (matches.Count > 0)
        {
            return double.TryParse(matches[^1].Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out score);
        }

        var bare = BareNumber().Match(answer.Trim());
        if (bare.Success)
        {
            return double.TryParse(bare.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out score);
        }

        score = double.NaN;
        return false;
    }

    private static bool TryParseJson(string answer, out double score, out string? explanation)
    {
        score = double.NaN;
        explanation = null;
        var start = answer.IndexOf('{', StringComparison.Ordinal);
        var end = answer.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var found = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("score") || string.Equals(property.Name, "score", StringComparison.OrdinalIgnoreCase))
                {
                    found = property.Value.ValueKind switch
                    {
                        JsonValueKind.Number => property.Value.TryGetDouble(out score),
                        JsonValueKind.String => double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out score),
                        _ => false,
                    };
                }
                else if (property.Value.ValueKind == JsonValueKind.String && property.Name.ToUpperInvariant() is "EXPLANATION" or "REASON" or "REASONING" or "RATIONALE")
                {
                    explanation = property.Value.GetString();
                }
            }

            return found;
        }
        catch (JsonException)
        {
            // Not JSON after all: the other forms are tried next.
            return false;
        }
    }

    [GeneratedRegex(@"score\W{0,3}\s*[:=]\s*\**\s*(-?\d+(?:\.\d+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"^\**(-?\d+(?:\.\d+)?)\**(?:\s*/\s*\d+(?:\.\d+)?)?\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex BareNumber();
}
