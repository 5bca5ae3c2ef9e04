using System.Text;

namespace Aigc.Monitoring;

/// <summary>Computes <see cref="LengthStatistics"/>: mean, median, 90th percentile and maximum length of texts.</summary>
public static class TextLengthStatistics
{
    /// <summary>Measures texts.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="countTokens">
    /// Counts a text's model tokens (for example <c>tokenizer.CountTokens</c> of Microsoft.ML.Tokenizers), or
    /// <see langword="null"/> to leave <see cref="LengthStatistics.Tokens"/> out.
    /// </param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="countTokens"/> returned a negative count.</exception>
    public static LengthStatistics Compute(IEnumerable<string> texts, Func<string, int>? countTokens = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tokens = countTokens is null ? null : new List<int>();
        var words = new List<int>();
        var characters = new List<int>();
        foreach (var text in texts)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(texts));
            if (tokens is not null)
            {
                var count = countTokens!(text);
                ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(countTokens));
                tokens.Add(count);
            }

            words.Add(WordTokenizer.CountWords(text));
            characters.Add(CountScalars(text));
        }

        return new LengthStatistics(
            tokens is null ? null : LengthSummary.FromLengths(tokens),
            LengthSummary.FromLengths(words),
            LengthSummary.FromLengths(characters));
    }

    private static int CountScalars(string text)
    {
        var count = 0;
        foreach (var unused in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
