namespace Aigc.Data;

/// <summary>What <see cref="LengthFilterStep"/> counts.</summary>
public enum LengthUnit
{
    /// <summary>Words, CJK-aware (see <see cref="TextSegmenter"/> for the rule).</summary>
    Words = 0,

    /// <summary>User-perceived characters: text elements (grapheme clusters), not UTF-16 code units.</summary>
    Characters = 1,

    /// <summary>Tokens of the configured <see cref="LengthFilterOptions.Tokenizer"/>.</summary>
    Tokens = 2,
}
