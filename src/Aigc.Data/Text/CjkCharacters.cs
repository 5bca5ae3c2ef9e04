using System.Globalization;

namespace Aigc.Data;

/// <summary>
/// The code points that count as one word each because their scripts are written without spaces:
/// CJK ideographs, Hiragana, Katakana and Hangul syllables.
/// </summary>
internal static class CjkCharacters
{
    /// <summary>Returns whether <paramref name="codePoint"/> is a CJK character that forms a word on its own.</summary>
    /// <param name="codePoint">The code point.</param>
    /// <returns><see langword="true"/> for an ideograph, Hiragana, Katakana or Hangul syllable that is not a combining mark.</returns>
    /// <remarks>
    /// The ranges: CJK Unified Ideographs U+4E00–U+9FFF and Extension A U+3400–U+4DBF; Extensions B–I U+20000–U+2EBEF
    /// and U+30000–U+323AF; Compatibility Ideographs U+F900–U+FAFF and U+2F800–U+2FA1F; the ideographic iteration
    /// mark, closing mark and number zero U+3005–U+3007; Hiragana U+3040–U+309F; Katakana U+30A0–U+30FF, Katakana
    /// Phonetic Extensions U+31F0–U+31FF and halfwidth Katakana U+FF66–U+FF9F; Hangul syllables U+AC00–U+D7A3.
    /// The voiced sound marks U+3099–U+309C and the punctuation U+30A0 and U+30FB inside those blocks are not words.
    /// </remarks>
    public static bool IsWordCharacter(int codePoint)
    {
        if (codePoint < 0x3005)
        {
            return false;
        }

        if (codePoint <= 0xFFFF)
        {
            return codePoint switch
            {
                <= 0x3007 => true,
                >= 0x3040 and <= 0x30FF => codePoint is not (>= 0x3099 and <= 0x309C) and not 0x30A0 and not 0x30FB,
                >= 0x31F0 and <= 0x31FF => true,
                >= 0x3400 and <= 0x4DBF => true,
                >= 0x4E00 and <= 0x9FFF => true,
                >= 0xAC00 and <= 0xD7A3 => true,
                >= 0xF900 and <= 0xFAFF => true,
                >= 0xFF66 and <= 0xFF9F => true,
                _ => false,
            };
        }

        return codePoint is (>= 0x20000 and <= 0x2EBEF) or (>= 0x2F800 and <= 0x2FA1F) or (>= 0x30000 and <= 0x323AF);
    }

    /// <summary>Returns whether a code point is a combining mark (Mn, Mc or Me).</summary>
    /// <param name="codePoint">The code point.</param>
    /// <returns><see langword="true"/> for a combining mark.</returns>
    public static bool IsMark(int codePoint)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }
}
