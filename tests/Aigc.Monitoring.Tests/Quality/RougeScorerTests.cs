using Aigc.Monitoring;

namespace Aigc.Monitoring.Tests.Quality;

/// <summary>
/// ROUGE against rouge-score's tests (google-research/google-research, rouge/rouge_scorer_test.py, which takes its
/// "ground truth" from manual runs of ROUGE-1.5.5, printed to 5 decimals) and its test data rouge/testdata/target.txt
/// and prediction.txt (lines 1 and 2). rouge-score's score(target, prediction) is our Score(prediction, reference).
/// </summary>
public sealed class RougeScorerTests
{
    private const string Target0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L";
    private const string Target1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN";
    private const string Prediction0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi";
    private const string Prediction1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD";

    private readonly RougeScorer _scorer = new();

    [Fact]
    public void Rouge1()
    {
        // testRouge1: score("testing one two", "testing") → P 1, R 1/3, F 1/2.
        var score = _scorer.Score("testing", "testing one two").Rouge1;
        Assert.Equal(1.0, score.Precision, 1e-12);
        Assert.Equal(1.0 / 3, score.Recall, 1e-12);
        Assert.Equal(0.5, score.FMeasure, 1e-12);
    }

    [Fact]
    public void Empty_prediction_scores_zero()
    {
        // testRougeEmpty.
        var scores = _scorer.Score(string.Empty, "testing one two");
        foreach (var score in new[] { scores.Rouge1, scores.Rouge2, scores.RougeL, scores.RougeLsum })
        {
            Assert.Equal(default, score);
        }
    }

    [Fact]
    public void Rouge2_and_rougeL()
    {
        // testRouge2 and testRougeLConsecutive: score("testing one two", "testing one").
        var consecutive = _scorer.Score("testing one", "testing one two");
        Assert.Equal(Round(new RougeScore(1, 0.5, 2.0 / 3)), Round(consecutive.Rouge2));
        Assert.Equal(Round(new RougeScore(1, 2.0 / 3, 0.8)), Round(consecutive.RougeL));

        // testRougeLNonConsecutive: score("testing one two", "testing two").
        Assert.Equal(Round(new RougeScore(1, 2.0 / 3, 0.8)), Round(_scorer.RougeL("testing two", "testing one two")));
    }

    [Theory]
    // testRouge1AgainstRouge155 / testRouge2AgainstRouge155 / testRougeLAgainstRouge155 (recall, precision, F).
    [InlineData(0, 1, 0.40741, 0.68750, 0.51163)]
    [InlineData(1, 1, 0.40476, 0.65385, 0.50000)]
    [InlineData(0, 2, 0.30769, 0.53333, 0.39024)]
    [InlineData(1, 2, 0.29268, 0.48000, 0.36364)]
    [InlineData(0, 0, 0.40741, 0.68750, 0.51163)]
    [InlineData(1, 0, 0.40476, 0.65385, 0.50000)]
    public void Agrees_with_rouge_155(int line, int n, double recall, double precision, double fmeasure)
    {
        var (prediction, target) = line == 0 ? (Prediction0, Target0) : (Prediction1, Target1);
        var score = n == 0 ? _scorer.RougeL(prediction, target) : _scorer.RougeN(prediction, target, n);

        Assert.Equal(recall, score.Recall, 5);
        Assert.Equal(precision, score.Precision, 5);
        Assert.Equal(fmeasure, score.FMeasure, 5);
    }

    [Fact]
    public void RougeLsum()
    {
        // testRougeLsum: score("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5") → R 0.8, P 0.4, F 0.5333.
        var score = _scorer.RougeLsum("w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5");
        Assert.Equal(0.8, score.Recall, 12);
        Assert.Equal(0.4, score.Precision, 12);
        Assert.Equal(0.5333, score.FMeasure, 3);

        Assert.Equal(default, _scorer.RougeLsum(string.Empty, "w1 w2 w3 w4 w5"));
        Assert.Equal(default, _scorer.RougeLsum("w1", string.Empty));
        Assert.Equal(default, _scorer.RougeLsum("/", "w1 w2 w3 w4 w5"));
    }

    [Fact]
    public void Cjk_characters_are_tokens()
    {
        // rouge-score's tokenizer keeps only [a-z0-9], so it scores these 0; here each character is a token:
        // 3 of 4 unigrams and 2 of 3 bigrams match.
        var scores = _scorer.Score("我喜欢狗", "我喜欢猫");
        Assert.Equal(0.75, scores.Rouge1.FMeasure, 12);
        Assert.Equal(2.0 / 3, scores.Rouge2.FMeasure, 12);
        Assert.Equal(0.75, scores.RougeL.FMeasure, 12);

        Assert.Equal(["我", "喜", "欢", "猫", "gpt", "4"], RougeTokenizer.Tokenize("我喜欢猫GPT-4"));
        Assert.Equal(["こ", "ん", "に", "ち", "は", "세", "계", "ok"], RougeTokenizer.Tokenize("こんにちは、세계! OK"));
    }

    [Fact]
    public void Ascii_mode_drops_other_scripts_like_rouge_score_and_unicode_mode_keeps_them()
    {
        Assert.Equal(["caf", "na", "ve"], RougeTokenizer.Tokenize("Café naïve"));
        Assert.Equal(["café", "naïve", "привет"], RougeTokenizer.Tokenize("Café naïve Привет", unicodeWords: true));
        Assert.Equal(1.0, new RougeScorer(unicodeWords: true).Score("привет мир", "Привет, мир!").Rouge1.FMeasure, 12);
    }

    private static RougeScore Round(RougeScore s) => new(Math.Round(s.Precision, 12), Math.Round(s.Recall, 12), Math.Round(s.FMeasure, 12));
}
