using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Quality;

/// <summary>
/// chrF against sacreBLEU's published examples. Sources (mjpost/sacrebleu): README.md "Using SacreBLEU from
/// Python" (chrF2 = 59.73) and "Using multiple metrics" (the signature); test/test_chrf.py (EPSILON 1e-4).
/// </summary>
public sealed class ChrFScorerTests
{
    [Fact]
    public void Readme_corpus_example()
    {
        var score = new ChrFScorer().CorpusScore(SacreBleuExamples.Hypotheses, SacreBleuExamples.References);

        // README: Out[6]: chrF2 = 59.73
        Assert.Equal("chrF2 = 59.73", score.ToString());

        // README: chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.0.0
        Assert.Equal("chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.x = 59.73", score.Format(withSignature: true));
    }

    [Theory]
    // test_chrf.py test_cases: char_order=6, word_order=0, beta=3, eps_smoothing=True.
    [InlineData("abcdefg", "hijklmnop", 0.0)]
    [InlineData("a", "b", 0.0)]
    [InlineData("", "b", 0.0)]
    [InlineData("", "ref", 0.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("aa", "ab", 8.3333)]
    [InlineData("a", "a", 16.6667)]
    [InlineData("a b c", "a b c", 50.0)]
    [InlineData("a b c", "abc", 50.0)]
    [InlineData(" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .", "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 63.361730)]
    [InlineData(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ", "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 64.1302698)]
    [InlineData("Niemand hat die Absicht, eine Mauer zu errichten", "Niemand hat die Absicht, eine Mauer zu errichten", 100.0)]
    public void Epsilon_smoothing_matches_test_chrf(string hypothesis, string reference, double expected)
    {
        var scorer = new ChrFScorer(new ChrFOptions { Beta = 3, EpsilonSmoothing = true });

        Assert.Equal(expected, scorer.CorpusScore([hypothesis], [[reference]]).Score, 1e-4);
    }

    [Fact]
    public void Two_segment_corpus_matches_test_chrf()
    {
        // test_chrf.py: (["a", "b"], ["a", "c"], 8.3333) with eps smoothing; 50.0 with effective order.
        Assert.Equal(8.3333, new ChrFScorer(new ChrFOptions { Beta = 3, EpsilonSmoothing = true }).CorpusScore(["a", "b"], [["a", "c"]]).Score, 1e-4);
        Assert.Equal(50.0, new ChrFScorer(new ChrFOptions { Beta = 3 }).CorpusScore(["a", "b"], [["a", "c"]]).Score, 1e-4);
    }

    [Theory]
    // test_chrf.py test_cases_effective_order (sacreBLEU < 2.0 behaviour, the default): eps_smoothing=False, beta=3.
    [InlineData("a", "a", 100.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("a b c", "a b c", 100.0)]
    [InlineData("a b c", "abc", 100.0)]
    [InlineData("", "c", 0.0)]
    [InlineData("aa", "ab", 25.0)]
    public void Effective_order_matches_test_chrf(string hypothesis, string reference, double expected)
    {
        var scorer = new ChrFScorer(new ChrFOptions { Beta = 3 });

        Assert.Equal(expected, scorer.CorpusScore([hypothesis], [[reference]]).Score, 1e-4);
    }

    [Theory]
    // test_chrf.py test_cases_keep_whitespace: beta=3, whitespace kept.
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.", "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .", "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void Keeping_whitespace_matches_test_chrf(string hypothesis, string reference, double expected)
    {
        var scorer = new ChrFScorer(new ChrFOptions { Beta = 3, IncludeWhitespace = true });

        Assert.Equal(expected, scorer.CorpusScore([hypothesis], [[reference]]).Score, 1e-4);
    }

    [Theory]
    // test_chrf.py test_sentence_level_chrf: sentence_chrf(hyp, refs, eps_smoothing=True), default beta 2.
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.", "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.", "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.", "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void Sentence_level_matches_test_chrf(string hypothesis, string reference, double expected)
    {
        var scorer = new ChrFScorer(new ChrFOptions { EpsilonSmoothing = true });

        Assert.Equal(expected, scorer.SentenceScore(hypothesis, [reference]).Score, 1e-4);
    }

    [Fact]
    public void Word_order_two_is_chrf_plus_plus()
    {
        var scorer = new ChrFScorer(new ChrFOptions { WordOrder = 2 });
        var score = scorer.CorpusScore(SacreBleuExamples.Hypotheses, SacreBleuExamples.References);

        Assert.Equal("chrF2++", score.Name);
        Assert.Contains("nw:2", score.Signature, StringComparison.Ordinal);
        Assert.Equal(3 * 8, score.Statistics.Count);
        Assert.InRange(score.Score, 1, 99);
    }

    [Fact]
    public void Characters_outside_the_basic_plane_are_one_character()
    {
        // "😀a" has 2 code points: 2 unigrams and 1 bigram (as in Python), not 3 UTF-16 units.
        var score = new ChrFScorer(new ChrFOptions { CharOrder = 2 }).SentenceScore("😀a", ["😀a"]);

        Assert.Equal([2L, 2, 2, 1, 1, 1], score.Statistics);
        Assert.Equal(100.0, score.Score, 1e-9);
    }
}
