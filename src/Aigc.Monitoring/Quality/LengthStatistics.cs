namespace Aigc.Monitoring;

/// <summary>Length distributions of a set of texts in tokens, words and characters.</summary>
/// <param name="Tokens">Lengths in model tokens, or <see langword="null"/> when no token counter was given.</param>
/// <param name="Words">Lengths in words of <see cref="WordTokenizer"/> (CJK characters count one word each).</param>
/// <param name="Characters">Lengths in Unicode scalar values (code points; what Python's <c>len</c> counts), not UTF-16 units.</param>
public sealed record LengthStatistics(LengthSummary? Tokens, LengthSummary Words, LengthSummary Characters);
