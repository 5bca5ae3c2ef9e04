using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Quality;

/// <summary>
/// BLEU against sacreBLEU's published examples. Sources (mjpost/sacrebleu): README.md "Using SacreBLEU from
/// Python" and "Variable Number of References"; test/test_bleu.py; test/test_sentence_bleu.py. The version field
/// of our signature is "2.x" where sacreBLEU prints its release number.
/// </summary>
public sealed class BleuScorerTests
{
    [Fact]
    public void Readme_corpus_example_prints_like_sacrebleu()
    {
        var score = new BleuScorer().CorpusScore(SacreBleuExamples.Hypotheses, SacreBleuExamples.References);

        // README: Out[3]: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
        Assert.Equal("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)", score.ToString());

        // README: Out[4]: nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0
        Assert.Equal("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x", score.Signature);
        Assert.StartsWith("BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x = 48.53 ", score.Format(withSignature: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_variable_reference_example()
    {
        var score = new BleuScorer().CorpusScore(SacreBleuExamples.Hypotheses, SacreBleuExamples.VariableReferences);

        // README: BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19), nrefs:var
        Assert.Equal("BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)", score.ToString());
        Assert.StartsWith("nrefs:var|", score.Signature, StringComparison.Ordinal);
    }

    [Theory]
    // test_bleu.py test_corpus_bleu_cases (printed to 6–7 decimals).
    [InlineData(BleuTokenizer.Mteval13a, BleuSmoothing.Exponential, 48.530827)]
    [InlineData(BleuTokenizer.None, BleuSmoothing.Exponential, 49.1919566)]
    [InlineData(BleuTokenizer.Mteval13a, BleuSmoothing.None, 48.530827)]
    public void Corpus_bleu_matches_test_bleu(BleuTokenizer tokenizer, BleuSmoothing smoothing, double expected)
    {
        var score = new BleuScorer(new BleuOptions { Tokenizer = tokenizer, Smoothing = smoothing })
            .CorpusScore(SacreBleuExamples.Hypotheses, SacreBleuExamples.References);

        Assert.Equal(expected, score.Score, 1e-6);
    }

    [Fact]
    public void Empty_hypotheses_score_zero()
    {
        // test_bleu.py: (('', '', ''), _refs, {}, 0.0) — empty hypotheses are not removed.
        var score = new BleuScorer().CorpusScore(["", "", ""], SacreBleuExamples.References);

        Assert.Equal(0.0, score.Score);
        Assert.Equal(0, score.Statistics.HypothesisLength);
    }

    [Theory]
    // test_bleu.py test_bleu_max_order: f"{bleu.score:.2f}".
    [InlineData(1, "77.65")]
    [InlineData(2, "60.50")]
    [InlineData(3, "53.93")]
    [InlineData(4, "48.53")]
    [InlineData(5, "46.14")]
    [InlineData(6, "43.28")]
    public void Max_ngram_order_matches_test_bleu(int order, string expected)
    {
        var score = new BleuScorer(new BleuOptions { MaxNGramOrder = order })
            .CorpusScore(SacreBleuExamples.Hypotheses, SacreBleuExamples.References);

        Assert.Equal(expected, score.Score.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Score_from_statistics_matches_test_scoring()
    {
        // test_bleu.py test_case_scoring: compute_bleu([9,7,5,3], [10,8,6,4], 11, 11) / 100 == 0.8375922397 (no smoothing).
        var scorer = new BleuScorer(new BleuOptions { Smoothing = BleuSmoothing.None });
        var score = scorer.Score(new BleuStatistics(11, 11, [9, 7, 5, 3], [10, 8, 6, 4]));

        Assert.Equal(0.8375922397, score.Score / 100, 1e-10);
    }

    [Theory]
    // test_bleu.py test_case_degenerate_stats with floor smoothing: all 0.0.
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 4, 4, 2, 1 }, 0, 1, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 10, 11, 12, 0 }, 14, 10, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 0, 0.0)]
    [InlineData(new long[] { 6, 5, 4, 0 }, new long[] { 6, 5, 4, 3 }, 6, 6, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 0, 0.1)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 1, 5, 0.01)]
    public void Degenerate_statistics_score_zero(long[] matches, long[] totals, int hypothesisLength, int referenceLength, double floor)
    {
        var scorer = new BleuScorer(new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothingValue = floor });

        Assert.Equal(0.0, scorer.Score(new BleuStatistics(hypothesisLength, referenceLength, matches, totals)).Score);
    }

    [Theory]
    // test_bleu.py test_raw_bleu_cases and test_case_effective_order: raw_corpus_bleu = floor 0.01, tokenize none, effective order.
    [InlineData("this is a test", "this is a test", 1.0)]
    [InlineData("this is a fest", "this is a test", 0.223606797749979)]
    [InlineData("test", "a test", 0.3678794411714425)]
    [InlineData("a test", "a test", 1.0)]
    [InlineData("a little test", "a test", 0.03218297948685433)]
    public void Raw_corpus_bleu_matches_test_bleu(string hypothesis, string reference, double expected)
    {
        var scorer = new BleuScorer(new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothingValue = 0.01, Tokenizer = BleuTokenizer.None, EffectiveOrder = true });

        Assert.Equal(expected, scorer.CorpusScore([hypothesis], [[reference]]).Score / 100, 1e-8);
    }

    [Fact]
    public void Raw_corpus_bleu_without_matches_is_zero()
    {
        // test_bleu.py: (["this is a test", "another test"], [["ref1", "ref2"]], 0.0)
        var scorer = new BleuScorer(new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothingValue = 0.01, Tokenizer = BleuTokenizer.None, EffectiveOrder = true });

        Assert.Equal(0.0, scorer.CorpusScore(["this is a test", "another test"], [["ref1", "ref2"]]).Score);
    }

    [Fact]
    public void Statistics_match_test_bleu()
    {
        // test_bleu.py test_case_statistics: common [4, 2, 1, 0], total [6, 5, 4, 3].
        var scorer = new BleuScorer(new BleuOptions { Tokenizer = BleuTokenizer.None, EffectiveOrder = true, Smoothing = BleuSmoothing.Floor, SmoothingValue = 0.01 });
        var statistics = scorer.GetStatistics("am I am a character sequence", ["I am a symbol string sequence a a"]);

        Assert.Equal([4L, 2, 1, 0], statistics.Matches);
        Assert.Equal([6L, 5, 4, 3], statistics.Totals);

        // test_case_offset: with the 0.1 floor 0.1555722182, with a zero floor 0.
        var withFloor = new BleuScorer(new BleuOptions { Tokenizer = BleuTokenizer.None, EffectiveOrder = true, Smoothing = BleuSmoothing.Floor });
        var zeroFloor = new BleuScorer(new BleuOptions { Tokenizer = BleuTokenizer.None, EffectiveOrder = true, Smoothing = BleuSmoothing.Floor, SmoothingValue = 0 });
        Assert.Equal(0.1555722182, withFloor.Score(statistics).Score / 100, 1e-10);
        Assert.Equal(0.0, zeroFloor.Score(statistics).Score, 1e-12);
    }

    [Theory]
    // test_sentence_bleu.py (issue #98 example), effective order, EPSILON 1e-3.
    [InlineData(BleuSmoothing.Exponential, null, BleuTokenizer.Mteval13a, 8.493)]
    [InlineData(BleuSmoothing.None, null, BleuTokenizer.Mteval13a, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, BleuTokenizer.Mteval13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.1, BleuTokenizer.Mteval13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, BleuTokenizer.Mteval13a, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, BleuTokenizer.Mteval13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 1.0, BleuTokenizer.Mteval13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, BleuTokenizer.Mteval13a, 21.389)]
    [InlineData(BleuSmoothing.Exponential, null, BleuTokenizer.None, 7.347)]
    public void Sentence_bleu_matches_test_sentence_bleu(BleuSmoothing smoothing, double? value, BleuTokenizer tokenizer, double expected)
    {
        const string reference = "producţia de zahăr brut se exprimă în zahăr alb;";
        const string hypothesis = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
        var scorer = new BleuScorer(new BleuOptions { Smoothing = smoothing, SmoothingValue = value, Tokenizer = tokenizer, EffectiveOrder = true });

        Assert.Equal(expected, scorer.SentenceScore(hypothesis, [reference]).Score, 1e-3);
    }

    [Theory]
    [InlineData(BleuSmoothing.Exponential)]
    [InlineData(BleuSmoothing.None)]
    [InlineData(BleuSmoothing.Floor)]
    [InlineData(BleuSmoothing.AddK)]
    public void Sentence_bleu_without_matches_is_zero(BleuSmoothing smoothing)
    {
        // test_sentence_bleu.py test_cases_zero_bleu (issue #141).
        var scorer = new BleuScorer(new BleuOptions { Smoothing = smoothing, EffectiveOrder = true });

        Assert.Equal(0.0, scorer.SentenceScore("this is a cat", ["okay thanks"]).Score);
    }

    [Fact]
    public void Signature_names_non_default_settings()
    {
        var scorer = new BleuScorer(new BleuOptions { Lowercase = true, EffectiveOrder = true, Tokenizer = BleuTokenizer.None, Smoothing = BleuSmoothing.Floor });

        Assert.Equal("nrefs:1|case:lc|eff:yes|tok:none|smooth:floor[0.10]|version:2.x", scorer.GetSignature());
    }

    [Fact]
    public void Lowercase_option_makes_case_irrelevant()
    {
        var cased = new BleuScorer().SentenceScore("THE DOG BIT THE MAN.", ["The dog bit the man."]);
        var lower = new BleuScorer(new BleuOptions { Lowercase = true }).SentenceScore("THE DOG BIT THE MAN.", ["The dog bit the man."]);

        Assert.Equal(100.0, lower.Score, 1e-9);
        Assert.True(cased.Score < 50);
    }

    [Fact]
    public void Statistics_add_up_to_the_corpus_statistics()
    {
        var scorer = new BleuScorer();
        var sum = scorer.GetStatistics(SacreBleuExamples.Hypotheses[0], [SacreBleuExamples.References[0][0], SacreBleuExamples.References[1][0]]);
        for (var i = 1; i < 3; i++)
        {
            sum = sum.Add(scorer.GetStatistics(SacreBleuExamples.Hypotheses[i], [SacreBleuExamples.References[0][i], SacreBleuExamples.References[1][i]]));
        }

        Assert.Equal(48.530827, scorer.Score(sum).Score, 1e-6);
    }

    [Fact]
    public void Segment_without_reference_is_rejected_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => new BleuScorer().CorpusScore(["a"], [[""]]));
        Assert.Contains("no non-empty reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_of_wrong_length_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new BleuScorer().CorpusScore(["a", "b"], [["a"]]));
        Assert.Contains("Reference stream 0 has 1 segments but there are 2 hypotheses", error.Message, StringComparison.Ordinal);
    }
}
