using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Quality;

public sealed class DiversityMetricsTests
{
    [Fact]
    public void Distinct_n_divides_by_total_ngrams()
    {
        string[] texts = ["the cat sat", "the cat ran"];

        // Unigrams: the, cat, sat, the, cat, ran → 4 distinct of 6. Bigrams: 3 distinct of 4 (n-grams never cross texts).
        Assert.Equal(4.0 / 6, DistinctN.Compute(texts, 1), 12);
        Assert.Equal(3.0 / 4, DistinctN.Compute(texts, 2), 12);
        Assert.Equal(0.0, DistinctN.Compute(["one"], 2));
    }

    [Fact]
    public void Repetition_rate_is_the_share_of_repeated_ngrams()
    {
        Assert.Equal(0.75, RepetitionRate.Compute("the the the the", 1), 12);
        Assert.Equal(0.2, RepetitionRate.Compute("a b c d a b c d", RepetitionRate.DefaultOrder), 12);
        Assert.Equal(0.0, RepetitionRate.Compute("no repeats at all here", 4));

        // The short text has no 4-gram and is left out of the mean.
        Assert.Equal(0.1, RepetitionRate.ComputeMean(["a b c d a b c d", "x y", "p q r s t u"], 4), 12);
    }

    [Fact]
    public void Self_bleu_of_identical_texts_is_100()
    {
        Assert.Equal(100.0, SelfBleu.Compute(["the same text here", "the same text here", "the same text here"]), 9);
    }

    [Fact]
    public void Self_bleu_equals_the_mean_of_sentence_bleu_against_all_other_texts()
    {
        string[] texts =
        [
            "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.",
            "The dog had bit the man.", "No one was surprised.", "The man bit him first.", "A cat.", string.Empty,
        ];
        var scorer = new BleuScorer(new BleuOptions { EffectiveOrder = true });
        var expected = 0.0;
        for (var i = 0; i < texts.Length; i++)
        {
            var others = texts.Where((_, j) => j != i).Select(static t => (string?)t).ToArray();
            expected += scorer.SentenceScore(texts[i], others).Score;
        }

        expected /= texts.Length;
        Assert.Equal(expected, SelfBleu.Compute(texts), 9);
        Assert.InRange(expected, 1, 99);
    }

    [Fact]
    public void Self_bleu_needs_two_texts()
    {
        Assert.Throws<ArgumentException>(() => SelfBleu.Compute(["only one", string.Empty]));
    }

    [Fact]
    public void Word_tokenizer_splits_cjk_and_keeps_other_scripts()
    {
        Assert.Equal(["Hello", "世", "界", "café", "42"], WordTokenizer.Tokenize("Hello, 世界! café 42."));
        Assert.Equal(5, WordTokenizer.CountWords("Hello, 世界! café 42."));
    }

    [Fact]
    public void Length_statistics_use_linear_percentiles()
    {
        // Word lengths 1..10: mean 5.5, median 5.5, p90 = 9 + 0.1·(10 − 9) = 9.1, max 10.
        var texts = Enumerable.Range(1, 10).Select(n => string.Join(' ', Enumerable.Repeat("w", n))).ToArray();
        var statistics = TextLengthStatistics.Compute(texts, countTokens: static t => t.Length);

        Assert.Equal(new LengthSummary(10, 5.5, 5.5, 9.1, 10), Round(statistics.Words));
        Assert.Equal(19, statistics.Tokens!.Max);
        Assert.Null(TextLengthStatistics.Compute(texts).Tokens);

        // Characters are code points: the emoji counts once.
        Assert.Equal(2, TextLengthStatistics.Compute(["😀a"]).Characters.Max);
    }

    [Fact]
    public void Exact_match_normalizes_as_configured()
    {
        Assert.True(ExactMatch.IsMatch("  Paris ", "Paris"));
        Assert.False(ExactMatch.IsMatch("paris", "Paris"));
        Assert.True(ExactMatch.IsMatch("The  Eiffel Tower!", "eiffel tower", ExactMatchNormalization.Squad));
        Assert.True(ExactMatch.IsMatch("$100", "100", ExactMatchNormalization.Squad));
        Assert.True(ExactMatch.IsMatch("ＡＢＣ", "abc", ExactMatchNormalization.UnicodeCompatibility | ExactMatchNormalization.Lowercase));
        Assert.False(ExactMatch.IsMatch("theory", "ory", ExactMatchNormalization.Squad));
        Assert.Equal(0.5, ExactMatch.Rate([("a", "a"), ("a", "b")]));
    }

    [Fact]
    public void Perplexity_is_the_exponential_of_the_mean_negative_log_probability()
    {
        double[] logProbabilities = [Math.Log(0.25), Math.Log(0.5), Math.Log(0.125)];

        Assert.Equal(4.0, Perplexity.FromLogProbabilities(logProbabilities), 12);
        Assert.Equal(4.0, Perplexity.FromLogProbabilities(logProbabilities.Select(static v => (float)v).ToArray()), 5);

        // A uniform model over 50,257 tokens has perplexity 50,257.
        Assert.Equal(50257, Perplexity.FromLogProbabilities(Enumerable.Repeat(-Math.Log(50257), 7).ToArray()), 6);

        // Corpus perplexity pools tokens: exp((ln 4 + 3 ln 2 ... ) / 4), not the mean of per-sequence values.
        Assert.Equal(Math.Exp((Math.Log(4) + (3 * Math.Log(2))) / 4), Perplexity.FromLogProbabilities([[-Math.Log(4)], [-Math.Log(2), -Math.Log(2), -Math.Log(2)]]), 12);
        Assert.Equal(double.PositiveInfinity, Perplexity.FromLogProbabilities([double.NegativeInfinity, -1.0]));
        Assert.Throws<ArgumentException>(() => Perplexity.FromLogProbabilities([0.5]));
        Assert.Throws<ArgumentException>(() => Perplexity.FromLogProbabilities(ReadOnlySpan<double>.Empty));
    }

    private static LengthSummary Round(LengthSummary s) => s with { Mean = Math.Round(s.Mean, 9), P50 = Math.Round(s.P50, 9), P90 = Math.Round(s.P90, 9) };
}
