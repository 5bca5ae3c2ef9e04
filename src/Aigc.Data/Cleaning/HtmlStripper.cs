using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text;

namespace Aigc.Data;

/// <summary>
/// Removes HTML markup from text in one pass over a pooled buffer: <c>script</c> and <c>style</c> elements with their
/// content, comments, <c>&lt;!...&gt;</c> and <c>&lt;?...&gt;</c> declarations, and tags (block-level tags become a
/// line break unless one is already there, table cells a space, other tags nothing); character references are decoded. A <c>&lt;</c> that does
/// not open a tag (<c>a &lt; b</c>, or no closing <c>&gt;</c>) stays as text.
/// </summary>
internal static class HtmlStripper
{
    private static readonly FrozenSet<string> BlockTags = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "title", "tr", "ul");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockTagLookup = BlockTags.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenDictionary<string, string> CommonEntities = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["amp"] = "&", ["lt"] = "<", ["gt"] = ">", ["quot"] = "\"", ["apos"] = "'", ["nbsp"] = "\u00A0",
        ["copy"] = "©", ["reg"] = "®", ["trade"] = "™", ["hellip"] = "…", ["mdash"] = "—", ["ndash"] = "–",
        ["lsquo"] = "‘", ["rsquo"] = "’", ["ldquo"] = "“", ["rdquo"] = "”", ["laquo"] = "«", ["raquo"] = "»",
        ["bull"] = "•", ["middot"] = "·", ["euro"] = "€", ["pound"] = "£", ["yen"] = "¥", ["cent"] = "¢",
        ["sect"] = "§", ["deg"] = "°", ["times"] = "×", ["divide"] = "÷", ["eacute"] = "é", ["egrave"] = "è",
        ["agrave"] = "à", ["aacute"] = "á", ["ouml"] = "ö", ["uuml"] = "ü", ["auml"] = "ä", ["szlig"] = "ß",
        ["ccedil"] = "ç", ["ntilde"] = "ñ",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> EntityLookup = CommonEntities.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Strips HTML from <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without markup (the same instance when it has no <c>&lt;</c> or <c>&amp;</c>).</returns>
    public static string Strip(string text)
    {
        if (text.AsSpan().IndexOfAny('<', '&') < 0)
        {
            return text;
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = Strip(text, buffer);
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int Strip(ReadOnlySpan<char> text, Span<char> output)
    {
        var n = 0;
        var i = 0;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAny('<', '&');
            if (next < 0)
            {
                text[i..].CopyTo(output[n..]);
                n += text.Length - i;
                break;
            }

            text.Slice(i, next).CopyTo(output[n..]);
            n += next;
            i += next;
            i = text[i] == '<' ? Markup(text, i, output, ref n) : Entity(text, i, output, ref n);
        }

        return n;
    }

    private static int Markup(ReadOnlySpan<char> text, int i, Span<char> output, ref int n)
    {
        var rest = text[i..];
        if (rest.StartsWith("<!--", StringComparison.Ordinal))
        {
            var end = rest[4..].IndexOf("-->", StringComparison.Ordinal);
            return end < 0 ? text.Length : i + 4 + end + 3;
        }

        if (rest.Length > 1 && rest[1] is '!' or '?')
        {
            var end = rest.IndexOf('>');
            return end < 0 ? text.Length : i + end + 1;
        }

        var nameStart = rest.Length > 1 && rest[1] == '/' ? 2 : 1;
        if (rest.Length <= nameStart || !char.IsAsciiLetter(rest[nameStart]))
        {
            output[n++] = '<';
            return i + 1;
        }

        var nameEnd = nameStart;
        while (nameEnd < rest.Length && (char.IsAsciiLetterOrDigit(rest[nameEnd]) || rest[nameEnd] is '-' or ':'))
        {
            nameEnd++;
        }

        var tagEnd = FindTagEnd(rest, nameEnd);
        if (tagEnd < 0)
        {
            output[n++] = '<';
            return i + 1;
        }

        var name = rest[nameStart..nameEnd];
        if (nameStart == 1 && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
        {
            var afterTag = i + tagEnd + 1;
            var close = IndexOfClosingTag(text[afterTag..], name);
            if (close < 0)
            {
                return text.Length;
            }

            var closeEnd = text[(afterTag + close)..].IndexOf('>');
            return closeEnd < 0 ? text.Length : afterTag + close + closeEnd + 1;
        }

        if (name.Equals("td", StringComparison.OrdinalIgnoreCase) || name.Equals("th", StringComparison.OrdinalIgnoreCase))
        {
            output[n++] = ' ';
        }
        else if (BlockTagLookup.Contains(name) && n > 0 && output[n - 1] != '\n')
        {
            output[n++] = '\n';
        }

        return i + tagEnd + 1;
    }

    private static int IndexOfClosingTag(ReadOnlySpan<char> text, ReadOnlySpan<char> name)
    {
        var offset = 0;
        while (true)
        {
            var at = text[offset..].IndexOf("</", StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            var candidate = text[(offset + at + 2)..];
            if (candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && (candidate.Length == name.Length || !char.IsAsciiLetterOrDigit(candidate[name.Length])))
            {
                return offset + at;
            }

            offset += at + 2;
        }
    }

    private static int FindTagEnd(ReadOnlySpan<char> tag, int from)
    {
        var quote = '\0';
        for (var j = from; j < tag.Length; j++)
        {
            var c = tag[j];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return j;
            }
            else if (c == '<')
            {
                return -1;
            }
        }

        return -1;
    }

    private static int Entity(ReadOnlySpan<char> text, int i, Span<char> output, ref int n)
    {
        var rest = text[i..];
        var semicolon = rest[..Math.Min(rest.Length, 34)].IndexOf(';');
        if (semicolon > 1)
        {
            var body = rest[1..semicolon];
            if (body[0] == '#')
            {
                if (TryParseCodePoint(body[1..], out var codePoint))
                {
                    var rune = Rune.IsValid(codePoint) && codePoint != 0 ? new Rune(codePoint) : Rune.ReplacementChar;
                    n += rune.EncodeToUtf16(output[n..]);
                    return i + semicolon + 1;
                }
            }
            else if (IsEntityName(body))
            {
                if (EntityLookup.TryGetValue(body, out var value))
                {
                    value.CopyTo(output[n..]);
                    n += value.Length;
                    return i + semicolon + 1;
                }

                var reference = rest[..(semicolon + 1)].ToString();
                var decoded = WebUtility.HtmlDecode(reference);
                if (!string.Equals(decoded, reference, StringComparison.Ordinal) && decoded.Length <= reference.Length)
                {
                    decoded.CopyTo(output[n..]);
                    n += decoded.Length;
                    return i + semicolon + 1;
                }
            }
        }

        output[n++] = '&';
        return i + 1;
    }

    private static bool TryParseCodePoint(ReadOnlySpan<char> digits, out int codePoint)
    {
        codePoint = 0;
        if (digits.Length > 1 && digits[0] is 'x' or 'X')
        {
            return digits.Length <= 7 && int.TryParse(digits[1..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out codePoint);
        }

        return digits.Length is > 0 and <= 7 && char.IsAsciiDigit(digits[0]) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out codePoint);
    }

    private static bool IsEntityName(ReadOnlySpan<char> name)
    {
        if (!char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
