using System.Text;

namespace Aigc.Data;

/// <summary>
/// Unicode normalisation that does not fail on malformed text: .NET's normaliser throws on lone surrogates, so
/// they are replaced with U+FFFD first (a copy is made only for such text and for text not already normalised).
/// </summary>
internal static class DedupUnicode
{
    public static string Normalize(string text, NormalizationForm form)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 && HasLoneSurrogate(text))
        {
            text = ReplaceLoneSurrogates(text);
        }

        return text.IsNormalized(form) ? text : text.Normalize(form);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string ReplaceLoneSurrogates(string text) => string.Create(text.Length, text, static (target, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            if (char.IsHighSurrogate(source[i]) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                target[i] = source[i];
                target[i + 1] = source[i + 1];
                i++;
            }
            else
            {
                target[i] = char.IsSurrogate(source[i]) ? '\uFFFD' : source[i];
            }
        }
    });
}
