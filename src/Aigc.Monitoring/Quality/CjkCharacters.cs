using System.Text;

namespace Aigc.Monitoring;

/// <summary>The code points the word tokenizers treat as one token each: CJK ideographs, kana and Hangul.</summary>
internal static class CjkCharacters
{
    /// <summary>
    /// Whether <paramref name="rune"/> is a CJK character: a Han ideograph (U+3400–4DBF, U+4E00–9FFF,
    /// U+F900–FAFF, U+20000–2FA1F, U+30000–323AF), Hiragana (U+3040–309F), Katakana (U+30A0–30FF, U+31F0–31FF,
    /// half-width U+FF66–FF9F), Bopomofo (U+3100–312F, U+31A0–31BF) or Hangul (U+1100–11FF, U+3130–318F,
    /// U+A960–A97F, U+AC00–D7AF, U+D7B0–D7FF).
    /// </summary>
    public static bool IsCjk(Rune rune)
    {
        var c = rune.Value;
        if (c < 0x1100)
        {
            return false;
        }

        return c is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x20000 and <= 0x2FA1F) or (>= 0x30000 and <= 0x323AF)
            or (>= 0x3040 and <= 0x309F) or (>= 0x30A0 and <= 0x30FF) or (>= 0x31F0 and <= 0x31FF) or (>= 0xFF66 and <= 0xFF9F)
            or (>= 0x3100 and <= 0x312F) or (>= 0x31A0 and <= 0x31BF)
            or (>= 0x1100 and <= 0x11FF) or (>= 0x3130 and <= 0x318F) or (>= 0xA960 and <= 0xA97F) or (>= 0xAC00 and <= 0xD7FF);
    }
}
