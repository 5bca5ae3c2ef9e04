namespace Aigc.Benchmarks.Monitoring;

/// <summary>Seeded sentences over a 2,000-word vocabulary, with punctuation, for the quality-metric benchmarks.</summary>
internal static class SyntheticText
{
    private static readonly string[] Vocabulary = Enumerable.Range(0, 2000).Select(static i => Word(i)).ToArray();

    public static string Sentence(Random random, int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            // Zipf-like: low word ids are much more frequent, as in real text.
            var id = (int)(Vocabulary.Length * Math.Pow(random.NextDouble(), 3));
            parts[i] = Vocabulary[id];
        }

        return string.Join(' ', parts) + (random.Next(4) == 0 ? "?" : ".");
    }

    /// <summary>A copy of <paramref name="sentence"/> with about one word in five replaced.</summary>
    public static string Edit(Random random, string sentence)
    {
        var words = sentence.TrimEnd('.', '?').Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (random.Next(5) == 0)
            {
                words[i] = Vocabulary[random.Next(Vocabulary.Length)];
            }
        }

        return string.Join(' ', words) + ".";
    }

    private static string Word(int i)
    {
        const string letters = "etaoinshrdlucmfwypvbgkqjxz";
        var chars = new char[2 + (i % 7)];
        var x = i * 7919;
        for (var j = 0; j < chars.Length; j++)
        {
            chars[j] = letters[(x + (j * 31)) % letters.Length];
            x /= 3;
        }

        return new string(chars);
    }
}
