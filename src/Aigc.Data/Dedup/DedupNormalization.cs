namespace Aigc.Data;

/// <summary>
/// How <see cref="ExactDedupStep"/> normalises a record's text before hashing it, so that copies differing only in
/// these respects count as duplicates. Flags combine; they are applied in the order listed.
/// </summary>
[Flags]
public enum DedupNormalization
{
    /// <summary>The text is hashed as it is: only byte-identical texts are duplicates.</summary>
    None = 0,

    /// <summary>Unicode normalisation form C, so precomposed and decomposed accents compare equal.</summary>
    Nfc = 1,

    /// <summary>Case folding with <see cref="string.ToLowerInvariant()"/> (culture-independent, one character to one character).</summary>
    LowerCase = 2,

    /// <summary>Every run of white space (<see cref="char.IsWhiteSpace(char)"/>, including line breaks) becomes one space.</summary>
    CollapseWhitespace = 4,

    /// <summary>Leading and trailing white space is removed.</summary>
    Trim = 8,

    /// <summary>All of the above: NFC, lower case, white space collapsed, trimmed.</summary>
    Default = Nfc | LowerCase | CollapseWhitespace | Trim,
}
