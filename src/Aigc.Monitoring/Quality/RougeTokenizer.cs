namespace Aigc.Monitoring;

/// <summary>
/// The tokenizer of <see cref="RougeScorer"/>: rouge-score's default tokenizer (lowercase, then maximal runs of
/// <c>[a-z0-9]</c>; everything else separates tokens and is dropped) extended so that every CJK character (Han
/// ideograph, kana, Hangul) is a token of its own. rouge-score itself drops CJK text entirely, so it scores
/// Chinese or Japanese output as empty; on text without CJK characters both tokenize identically.
/// </summary>
public static class RougeTokenizer
{
    /// <summary>Tokenizes a text for ROUGE.</summary>
    /// <param name="text">The text.</param>
    /// <param name="unicodeWords">
    /// When <see langword="true"/>, words of any script (letters, digits and marks, for example <c>café</c> or
    /// <c>привет</c>) are kept whole instead of rouge-score's ASCII-only <c>[a-z0-9]</c> runs.
    /// </param>
    /// <returns>The lowercased tokens, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Tokenize(string text, bool unicodeWords = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        WordTokenizer.Scan(text, unicodeWords, lowercase: true, tokens);
        return tokens;
    }
}
