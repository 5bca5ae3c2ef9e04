using System.Globalization;
using Aigc.Data.Tests.Cleaning;

namespace Aigc.Data.Tests.Filters;

public sealed class GopherRepetitionFilterTests
{
    private static readonly GopherRepetitionFilter Default = new();

    private static string Fraction(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    [Fact]
    public void Ordinary_and_varied_texts_pass()
    {
        Assert.Null(Default.Evaluate(SampleTexts.Prose));
        Assert.Null(Default.Evaluate(SampleTexts.RandomWords(400, seed: 7)));
        Assert.Null(Default.Evaluate("   \n\n  "));
    }

    [Fact]
    public void Duplicate_paragraph_fraction()
    {
        Assert.Equal(
            "dup_para_frac: duplicate-paragraph fraction 0.3333 > 0.3",
            Default.Evaluate("alpha beta gamma\n\nalpha beta gamma\n\n\n\ndelta epsilon zeta"));
    }

    [Fact]
    public void Duplicate_paragraph_character_fraction()
    {
        var text = SampleTexts.Prose + "\n\n" + SampleTexts.Prose + "\n\none two\n\nthree four";

        Assert.Equal(
            $"dup_para_char_frac: duplicate-paragraph character fraction {Fraction((double)SampleTexts.Prose.Length / text.Length)} > 0.2",
            Default.Evaluate(text));
    }

    [Fact]
    public void Duplicate_line_fraction()
    {
        Assert.Equal("dup_line_frac: duplicate-line fraction 0.3333 > 0.3", Default.Evaluate("red apples\nred apples\ngreen pears"));
    }

    [Fact]
    public void Duplicate_line_character_fraction()
    {
        var text = SampleTexts.Prose + "\n" + SampleTexts.Prose + "\none two\nthree four";

        Assert.Equal(
            $"dup_line_char_frac: duplicate-line character fraction {Fraction((double)SampleTexts.Prose.Length / text.Length)} > 0.2",
            Default.Evaluate(text));
    }

    [Fact]
    public void Top_two_gram_fraction_counts_the_joined_ngram_times_its_count()
    {
        // "a b" occurs twice: 3 characters x 2 over 19 characters.
        Assert.Equal("top_2_gram: top 2-gram character fraction 0.3158 > 0.2", Default.Evaluate("a b c d e a b c d e"));
    }

    [Fact]
    public void Top_ngram_ties_go_to_the_ngram_seen_first()
    {
        // "aaa b" and "c d" both occur twice; datatrove's Counter.most_common picks "aaa b": 5 x 2 over 19.
        Assert.Equal("top_2_gram: top 2-gram character fraction 0.5263 > 0.2", Default.Evaluate("aaa b c d c d aaa b"));
    }

    [Fact]
    public void Duplicated_five_grams_when_the_top_ngram_rules_are_off()
    {
        var options = new GopherRepetitionOptions();
        options.TopNGramCharFractions.Clear();

        // The second "a b c d e" repeats the first: 5 characters (joined without spaces) over 19.
        Assert.Equal("duplicated_5_n_grams: duplicated 5-gram character fraction 0.2632 > 0.15", new GopherRepetitionFilter(options).Evaluate("a b c d e a b c d e"));
    }

    [Fact]
    public void A_repeated_phrase_in_varied_text_is_caught_by_the_duplicated_ngram_rule()
    {
        var options = new GopherRepetitionOptions();
        options.TopNGramCharFractions.Clear();
        var phrase = "subscribe to our newsletter for weekly updates today";
        var text = SampleTexts.RandomWords(60, seed: 3) + " " + SampleTexts.Repeat(phrase + " " + SampleTexts.RandomWords(3, seed: 5), 4);

        Assert.Null(Default.Evaluate(SampleTexts.RandomWords(60, seed: 3) + " " + phrase));
        Assert.StartsWith("duplicated_5_n_grams: duplicated 5-gram character fraction ", new GopherRepetitionFilter(options).Evaluate(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var options = new GopherRepetitionOptions { DuplicateLineFraction = 0.5, DuplicateParagraphFraction = null, DuplicateLineCharFraction = null, DuplicateParagraphCharFraction = null };
        options.TopNGramCharFractions.Clear();
        options.DuplicateNGramCharFractions.Clear();

        Assert.Null(new GopherRepetitionFilter(options).Evaluate("red apples\nred apples\ngreen pears"));
        Assert.Null(new GopherRepetitionFilter(options).Evaluate("alpha beta\n\nalpha beta\n\ngamma delta\n\nepsilon"));
    }

    [Fact]
    public async Task Rejections_carry_the_reason_and_count_per_rule()
    {
        var (kept, context) = await StepRunner.RunAsync(
            Default,
            DataRecord.CreateText("good", SampleTexts.Prose),
            DataRecord.CreateText("dup", "red apples\nred apples\ngreen pears"));

        Assert.Equal("good", Assert.Single(kept).Id);
        Assert.Equal("dup_line_frac: duplicate-line fraction 0.3333 > 0.3", context.SingleReason());
        Assert.Equal(1, context.Counter("gopher_repetition.dup_line_frac"));
    }

    [Fact]
    public void Parameters_hold_every_threshold()
    {
        var step = new GopherRepetitionFilter();

        Assert.Equal("filter.gopher-repetition", step.Id);
        Assert.Equal("0.3", step.Parameters["dup_line_frac"]);
        Assert.Equal("0.3", step.Parameters["dup_para_frac"]);
        Assert.Equal("0.2", step.Parameters["dup_line_char_frac"]);
        Assert.Equal("0.2", step.Parameters["dup_para_char_frac"]);
        Assert.Equal("2:0.2,3:0.18,4:0.16", step.Parameters["top_n_grams"]);
        Assert.Equal("5:0.15,6:0.14,7:0.13,8:0.12,9:0.11,10:0.1", step.Parameters["dup_n_grams"]);
    }

    [Fact]
    public void Invalid_settings_throw()
    {
        var options = new GopherRepetitionOptions { DuplicateLineFraction = -0.1 };
        options.TopNGramCharFractions[0] = 0.1;

        var error = Assert.Throws<ArgumentException>(() => new GopherRepetitionFilter(options));

        Assert.Contains("DuplicateLineFraction", error.Message, StringComparison.Ordinal);
        Assert.Contains("n = 0", error.Message, StringComparison.Ordinal);
    }
}
