namespace Aigc.Data.Tests.Filters;

public sealed class TextSegmenterTests
{
    [Theory]
    [InlineData("我爱北京天安门", 7)]
    [InlineData("日本語のテキスト", 8)]
    [InlineData("안녕하세요 세계", 7)]
    [InlineData("Hello, world! It's 2024.", 4)]
    [InlineData("AI模型 works", 4)]
    [InlineData("don't stop", 2)]
    [InlineData("naïve cafe\u0301s", 2)]
    [InlineData("--- ... !!! ' ’", 0)]
    [InlineData("\U0001F600 \U0001F44D\U0001F3FD", 0)]
    [InlineData("\U00020000\U00020001", 2)]
    [InlineData("か\u3099", 1)]
    [InlineData("", 0)]
    [InlineData("Привет, мир", 2)]
    [InlineData("x²+y³ = 3½", 3)]
    public void CountWords_counts_runs_and_each_CJK_character(string text, int expected)
    {
        Assert.Equal(expected, TextSegmenter.CountWords(text));
    }

    [Fact]
    public void EnumerateWords_yields_each_word_and_its_offset()
    {
        var words = new List<(string, int)>();
        foreach (var word in TextSegmenter.EnumerateWords("It's 東京, ok?"))
        {
            words.Add((word.ToString(), 0));
        }

        var offsets = new List<int>();
        var enumerator = TextSegmenter.EnumerateWords("It's 東京, ok?");
        while (enumerator.MoveNext())
        {
            offsets.Add(enumerator.CurrentIndex);
        }

        Assert.Equal(["It's", "東", "京", "ok"], words.Select(w => w.Item1));
        Assert.Equal([0, 5, 6, 9], offsets);
    }

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("e\u0301", 1)]
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467", 1)]
    [InlineData("\U0001F1EB\U0001F1F7", 1)]
    [InlineData("a\r\nb", 3)]
    [InlineData("한국어", 3)]
    [InlineData("", 0)]
    [InlineData("👍🏽!", 2)]
    public void CountTextElements_counts_grapheme_clusters(string text, int expected)
    {
        Assert.Equal(expected, TextSegmenter.CountTextElements(text));
    }

    [Fact]
    public void English_tokenizer_follows_the_treebank_rules()
    {
        const string text = "Don't stop, it's 10:30 and costs $1,000.50 (U.S. dollars)... OK?";
        var segments = new List<TextSegment>();

        EnglishWordTokenizer.Tokenize(text, segments);

        Assert.Equal(
            ["Do", "n't", "stop", ",", "it", "'s", "10:30", "and", "costs", "$", "1,000.50", "(", "U.S.", "dollars", ")", "...", "OK", "?"],
            segments.Select(s => text.Substring(s.Start, s.Length)));
    }

    [Fact]
    public void Sentence_splitter_skips_abbreviations_and_lowercase_continuations()
    {
        const string text = "Mr. Smith went to Washington. He met Dr. Jones there! Was it fun? yes it was.";
        var sentences = new List<TextSegment>();

        SentenceSplitter.Split(text, sentences);

        Assert.Equal(
            ["Mr. Smith went to Washington.", "He met Dr. Jones there!", "Was it fun? yes it was."],
            sentences.Select(s => text.Substring(s.Start, s.Length)));
        Assert.Equal(2, SentenceSplitter.Count("The U.S. economy grew. It was 3.5 percent."));
        Assert.Equal(1, SentenceSplitter.Count("No terminal punctuation here"));
        Assert.Equal(0, SentenceSplitter.Count("   "));
    }

    [Fact]
    public void Line_splitter_matches_python_splitlines()
    {
        static string[] Lines(string text)
        {
            var lines = new List<TextSegment>();
            LineSplitter.SplitLines(text, lines);
            return [.. lines.Select(s => text.Substring(s.Start, s.Length))];
        }

        Assert.Equal(["a", "", "b", "c", "d"], Lines("a\n\nb\r\nc\rd\n"));
        Assert.Equal([""], Lines("\n"));
        Assert.Empty(Lines(string.Empty));
        Assert.Equal(["x", "y", "z"], Lines("x\u2028y\u000Bz"));
    }
}
