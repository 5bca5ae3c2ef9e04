namespace Aigc.Monitoring;

/// <summary>What <see cref="ExactMatch"/> normalizes in both texts before comparing them; the steps run in the order listed.</summary>
[Flags]
public enum ExactMatchNormalization
{
    /// <summary>Compare the texts exactly, ordinal.</summary>
    None = 0,

    /// <summary>Unicode compatibility normalization (NFKC): full-width letters, ligatures and the like become plain characters.</summary>
    UnicodeCompatibility = 1,

    /// <summary>Lowercase (invariant culture).</summary>
    Lowercase = 2,

    /// <summary>Remove punctuation: Unicode categories P* and every ASCII punctuation character (Python's <c>string.punctuation</c>, which includes <c>$ + &lt; = &gt; ^ ` | ~</c>).</summary>
    RemovePunctuation = 4,

    /// <summary>Remove the English articles <c>a</c>, <c>an</c> and <c>the</c> as whole words (as the SQuAD evaluation script does).</summary>
    RemoveArticles = 8,

    /// <summary>Replace every run of white space by one space.</summary>
    CollapseWhitespace = 16,

    /// <summary>Remove white space at both ends.</summary>
    Trim = 32,

    /// <summary>The SQuAD evaluation script's <c>normalize_answer</c>: lowercase, no punctuation, no articles, single spaces, trimmed.</summary>
    Squad = Lowercase | RemovePunctuation | RemoveArticles | CollapseWhitespace | Trim,
}
