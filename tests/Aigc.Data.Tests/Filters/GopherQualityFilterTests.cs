using Aigc.Data.Tests.Cleaning;

namespace Aigc.Data.Tests.Filters;

public sealed class GopherQualityFilterTests
{
    private static readonly GopherQualityFilter Default = new();

    [Fact]
    public void Ordinary_prose_passes()
    {
        Assert.Null(Default.Evaluate(SampleTexts.Prose));
    }

    [Fact]
    public void Short_document()
    {
        Assert.Equal("gopher_short_doc: 6 words < 50", Default.Evaluate("The cat sat on the mat."));
        Assert.Equal("gopher_short_doc: 0 words < 50", Default.Evaluate(string.Empty));
    }

    [Fact]
    public void Long_document()
    {
        Assert.Equal("gopher_long_doc: 100001 words > 100000", Default.Evaluate(SampleTexts.Repeat("the", 100_001)));
    }

    [Fact]
    public void Mean_word_length_below_three()
    {
        Assert.Equal("gopher_below_avg_threshold: mean word length 2.1667 < 3", Default.Evaluate(SampleTexts.Repeat("to be or not to be", 10)));
    }

    [Fact]
    public void Mean_word_length_above_ten()
    {
        Assert.Equal("gopher_above_avg_threshold: mean word length 18 > 10", Default.Evaluate(SampleTexts.Repeat("internationalization characterization", 30)));
    }

    [Fact]
    public void Too_many_hashes()
    {
        var text = SampleTexts.Repeat("the house", 30) + " " + SampleTexts.Repeat("#", 10);

        Assert.Equal("gopher_too_many_hashes: hash-to-word ratio 0.1429 > 0.1", Default.Evaluate(text));
    }

    [Fact]
    public void Too_many_ellipses_counting_both_forms()
    {
        var text = SampleTexts.Repeat("the house", 30) + " " + SampleTexts.Repeat("...", 5) + " " + SampleTexts.Repeat("…", 5);

        Assert.Equal("gopher_too_many_ellipsis: ellipsis-to-word ratio 0.1429 > 0.1", Default.Evaluate(text));
    }

    [Fact]
    public void Too_many_bullet_lines()
    {
        var lines = Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? "• " : "  - ") + "the house is red and the door is blue");

        Assert.Equal("gopher_too_many_bullets: bullet-line ratio 1 > 0.9", Default.Evaluate(string.Join('\n', lines)));
    }

    [Fact]
    public void Too_many_lines_ending_with_an_ellipsis()
    {
        var lines = Enumerable.Range(0, 10).Select(i => "the house is red and the door is blue" + (i < 4 ? (i % 2 == 0 ? "..." : "… ") : "."));

        Assert.Equal("gopher_too_many_end_ellipsis: ellipsis-line ratio 0.4 > 0.3", Default.Evaluate(string.Join('\n', lines)));
    }

    [Fact]
    public void Too_few_words_with_a_letter()
    {
        var text = SampleTexts.Repeat("the house", 30) + " " + SampleTexts.Repeat("12345", 20);

        Assert.Equal("gopher_below_alpha_threshold: alphabetic-word ratio 0.75 < 0.8", Default.Evaluate(text));
    }

    [Fact]
    public void Too_few_stop_words_matched_case_sensitively()
    {
        Assert.Equal("gopher_enough_stop_words: 0 stop words < 2", Default.Evaluate(SampleTexts.Repeat("cats chase small mice", 15)));
        Assert.Equal("gopher_enough_stop_words: 0 stop words < 2", Default.Evaluate(SampleTexts.Repeat("The cats chase mice", 15)));
        Assert.Null(Default.Evaluate(SampleTexts.Repeat("The cats chase mice", 14) + " the cats and mice"));
    }

    [Fact]
    public void Every_threshold_is_configurable_and_null_turns_a_rule_off()
    {
        const string text = "The house and the garden stand on the hill.";
        var lower = new GopherQualityFilter(new GopherQualityOptions { MinDocWords = 5 });
        var off = new GopherQualityFilter(new GopherQualityOptions { MinDocWords = null });
        var stopWords = new GopherQualityOptions { MinDocWords = null, MinStopWords = 1 };
        stopWords.StopWords.Clear();
        stopWords.StopWords.Add("hill");

        Assert.StartsWith("gopher_short_doc", Default.Evaluate(text), StringComparison.Ordinal);
        Assert.Null(lower.Evaluate(text));
        Assert.Null(off.Evaluate(text));
        Assert.Null(new GopherQualityFilter(stopWords).Evaluate(text));
        Assert.Equal(
            "gopher_above_avg_threshold: mean word length 3.7778 > 3.5",
            new GopherQualityFilter(new GopherQualityOptions { MinDocWords = null, MaxAvgWordLength = 3.5 }).Evaluate(text));
    }

    [Fact]
    public async Task Rejections_carry_the_reason_and_count_per_rule()
    {
        var (kept, context) = await StepRunner.RunAsync(
            Default,
            DataRecord.CreateText("good", SampleTexts.Prose),
            DataRecord.CreateText("short", "Too short."),
            DataRecord.CreateText("short2", "Also far too short."));

        Assert.Equal("good", Assert.Single(kept).Id);
        Assert.Equal(["gopher_short_doc: 2 words < 50", "gopher_short_doc: 4 words < 50"], context.Rejects.Select(r => r.Reason));
        Assert.Equal(2, context.Counter("gopher_quality.gopher_short_doc"));
    }

    [Fact]
    public async Task Named_fields_are_judged_together()
    {
        var options = new GopherQualityOptions();
        options.Fields.Add(FieldNames.Output);
        var record = DataRecord.CreateInstruction("r1", "Summarize.", string.Empty, SampleTexts.Prose);

        var (kept, _) = await StepRunner.RunAsync(new GopherQualityFilter(options), record);
        var (_, all) = await StepRunner.RunAsync(Default, DataRecord.CreateInstruction("r2", "Summarize.", string.Empty, "Short."));

        Assert.Single(kept);
        Assert.Equal("gopher_short_doc: 2 words < 50", all.SingleReason());
    }

    [Fact]
    public void Parameters_hold_every_threshold()
    {
        var step = new GopherQualityFilter(new GopherQualityOptions { MaxDocWords = null });

        Assert.Equal("filter.gopher-quality", step.Id);
        Assert.Equal("50", step.Parameters["min_doc_words"]);
        Assert.Equal("off", step.Parameters["max_doc_words"]);
        Assert.Equal("3", step.Parameters["min_avg_word_length"]);
        Assert.Equal("10", step.Parameters["max_avg_word_length"]);
        Assert.Equal("0.1", step.Parameters["max_symbol_word_ratio"]);
        Assert.Equal("0.9", step.Parameters["max_bullet_lines_ratio"]);
        Assert.Equal("0.3", step.Parameters["max_ellipsis_lines_ratio"]);
        Assert.Equal("0.8", step.Parameters["min_alphabetic_word_ratio"]);
        Assert.Equal("2", step.Parameters["min_stop_words"]);
        Assert.Equal("and,be,have,of,that,the,to,with", step.Parameters["stop_words"]);
    }

    [Fact]
    public void Invalid_thresholds_are_reported_together()
    {
        var error = Assert.Throws<ArgumentException>(() => new GopherQualityFilter(new GopherQualityOptions { MinDocWords = -1, MaxSymbolWordRatio = double.NaN }));

        Assert.Contains("MinDocWords", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSymbolWordRatio", error.Message, StringComparison.Ordinal);
    }
}
