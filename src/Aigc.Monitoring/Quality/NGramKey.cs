namespace Aigc.Monitoring;

/// <summary>Builds dictionary keys for token n-grams.</summary>
internal static class NGramKey
{
    /// <summary>
    /// Joins <paramref name="n"/> tokens from <paramref name="start"/> with U+0001, a character no tokenizer
    /// emits, so that different n-grams never share a key.
    /// </summary>
    public static string Join(IReadOnlyList<string> tokens, int start, int n)
    {
        if (n == 1)
        {
            return tokens[start];
        }

        var length = n - 1;
        for (var i = start; i < start + n; i++)
        {
            length += tokens[i].Length;
        }

        return string.Create(length, (tokens, start, n), static (span, state) =>
        {
            var position = 0;
            for (var i = state.start; i < state.start + state.n; i++)
            {
                if (i > state.start)
                {
                    span[position++] = '\u0001';
                }

                state.tokens[i].AsSpan().CopyTo(span[position..]);
                position += state.tokens[i].Length;
            }
        });
    }
}
