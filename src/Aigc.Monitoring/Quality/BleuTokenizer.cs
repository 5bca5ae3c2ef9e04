namespace Aigc.Monitoring;

/// <summary>How BLEU splits segments into words before counting n-grams (sacreBLEU's <c>--tokenize</c>).</summary>
public enum BleuTokenizer
{
    /// <summary>
    /// <c>13a</c> (sacreBLEU's default): the <c>mteval-v13a.pl</c> tokenization used by WMT, which separates
    /// punctuation and symbols from words, periods and commas unless inside a number, and dashes after digits.
    /// </summary>
    Mteval13a = 0,

    /// <summary><c>none</c>: the segment is split on white space only (for text that is already tokenized).</summary>
    None = 1,
}
