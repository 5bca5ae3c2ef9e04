using System.Text;

namespace Aigc.Inference;

/// <summary>Blocklist matching shared by the prompt and output checks.</summary>
internal static class Guardrails
{
    /// <summary>Returns the first blocked term in <paramref name="text"/> (earliest, then longest), or index -1.</summary>
    public static (int Index, string? Term) FindTerm(string text, IList<string> terms)
    {
        var first = -1;
        string? found = null;
        foreach (var term in terms)
        {
            if (string.IsNullOrEmpty(term))
            {
                continue;
            }

            var index = text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
            if (index >= 0 && (first < 0 || index < first || (index == first && term.Length > found!.Length)))
            {
                first = index;
                found = term;
            }
        }

        return (first, found);
    }

    public static string Redact(string text, IList<string> terms, string redaction)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (true)
        {
            var (index, term) = FindTerm(text[position..], terms);
            if (index < 0)
            {
                return builder.Append(text, position, text.Length - position).ToString();
            }

            builder.Append(text, position, index).Append(redaction);
            position += index + term!.Length;
        }
    }

    public static string Describe(ContentVerdict verdict) =>
        "The classifier flagged the text" + (verdict.Category is null ? string.Empty : $" as {verdict.Category}") + (verdict.Reason is null ? "." : $": {verdict.Reason}");
}
