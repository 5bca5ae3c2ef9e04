using System.Text;

namespace Aigc.Monitoring;

/// <summary>
/// The few pieces of Python's <c>str</c> behaviour the reference metric implementations rely on, so that our
/// metrics split and strip text exactly as sacreBLEU and rouge-score do.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit: .NET's white space plus U+001C–U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Python's <c>str.split()</c> without arguments: runs of white space separate, none are kept.</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsSpace(text[i]))
            {
                if (start >= 0)
                {
                    parts.Add(text[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            parts.Add(text[start..]);
        }

        return parts;
    }

    /// <summary>Python's <c>str.rstrip()</c>.</summary>
    public static string RStrip(string text)
    {
        var end = text.Length;
        while (end > 0 && IsSpace(text[end - 1]))
        {
            end--;
        }

        return end == text.Length ? text : text[..end];
    }

    /// <summary>Python's <c>''.join(text.split())</c>: the text with every white-space character removed.</summary>
    public static string RemoveSpaces(string text)
    {
        var hasSpace = false;
        foreach (var c in text)
        {
            if (IsSpace(c))
            {
                hasSpace = true;
                break;
            }
        }

        if (!hasSpace)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsSpace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Python's <c>' '.join(text.split())</c>: single spaces between words, none at the ends.</summary>
    public static string NormalizeSpaces(string text) => string.Join(' ', Split(text));

    /// <summary>
    /// The UTF-16 offset of each code point of <paramref name="text"/> plus a final entry at its length, so that
    /// code-point slices (Python's indexing) are <c>text[offsets[i]..offsets[j]]</c>.
    /// </summary>
    public static int[] CodePointOffsets(string text)
    {
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            offsets.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
        }

        offsets.Add(text.Length);
        return [.. offsets];
    }
}
