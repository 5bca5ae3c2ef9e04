using Aigc.Data.Tests.Cleaning;

namespace Aigc.Data.Tests.Filters;

public sealed class C4QualityFilterTests
{
    private static readonly C4QualityFilter Default = new();
    private static readonly string Good = string.Join('\n', SampleTexts.Lines);

    [Fact]
    public async Task A_clean_document_passes_unchanged()
    {
        var record = DataRecord.CreateText("r1", Good);

        var (kept, context) = await StepRunner.RunAsync(Default, record);

        Assert.Same(Good, Assert.Single(kept).Fields[0].Value);
        Assert.Equal(0, context.Counter("c4.lines_removed"));
    }

    [Fact]
    public async Task Line_rules_remove_lines_and_count_them()
    {
        var text = string.Join('\n',
            "Home | About | Contact",
            SampleTexts.Lines[0],
            "Read more...",
            SampleTexts.Lines[1],
            "Yes it.",
            SampleTexts.Lines[2],
            "Please enable JavaScript to continue.",
            SampleTexts.Lines[3],
            "This site uses cookies to improve your experience.",
            "  " + SampleTexts.Lines[4] + "  ",
            new string('x', 1001) + " is a long word.",
            "   ");

        var (kept, context) = await StepRunner.RunAsync(Default, DataRecord.CreateText("r1", text));

        Assert.Equal(Good, Assert.Single(kept).Fields[0].Value);
        Assert.Equal(7, context.Counter("c4.lines_removed"));
        Assert.Equal(3, context.Counter("c4.lines_removed.no_terminal_punct"));
        Assert.Equal(1, context.Counter("c4.lines_removed.too_few_words"));
        Assert.Equal(1, context.Counter("c4.lines_removed.javascript"));
        Assert.Equal(1, context.Counter("c4.lines_removed.policy"));
        Assert.Equal(1, context.Counter("c4.lines_removed.too_long_word"));
    }

    [Fact]
    public async Task Citations_are_removed_before_the_punctuation_check()
    {
        var text = Good + "\nThe sky is blue.[1]\nWater is wet [citation needed].\nSee the list [edit]";

        var result = await StepRunner.RunTextAsync(Default, text);

        Assert.Equal(Good + "\nThe sky is blue.\nWater is wet .", result);
    }

    [Fact]
    public async Task Lorem_ipsum_rejects_the_document()
    {
        var (kept, context) = await StepRunner.RunAsync(Default, DataRecord.CreateText("r1", Good + "\nLorem Ipsum dolor sit amet, consectetur."));

        Assert.Empty(kept);
        Assert.Equal("lorem_ipsum: field 'text' contains \"lorem ipsum\"", context.SingleReason());
        Assert.Equal(1, context.Counter("c4.lorem_ipsum"));
    }

    [Fact]
    public async Task A_curly_bracket_in_a_kept_line_rejects_the_document()
    {
        var (_, rejected) = await StepRunner.RunAsync(Default, DataRecord.CreateText("r1", Good + "\nUse the {name} placeholder here."));
        var (kept, _) = await StepRunner.RunAsync(Default, DataRecord.CreateText("r2", Good + "\nfunction f() { return 1 }"));

        Assert.Equal("curly_bracket: field 'text' contains '{'", rejected.SingleReason());
        Assert.Equal(Good, Assert.Single(kept).Fields[0].Value);
    }

    [Fact]
    public async Task Too_few_sentences_reject_and_the_reject_holds_the_original_text()
    {
        var text = string.Join('\n', SampleTexts.Lines.Take(4)) + "\nMenu";

        var (kept, context) = await StepRunner.RunAsync(Default, DataRecord.CreateText("r1", text));

        Assert.Empty(kept);
        var rejected = Assert.Single(context.Rejects);
        Assert.Equal("too_few_sentences: 4 sentences < 5", rejected.Reason);
        Assert.Contains("Menu", rejected.Original, StringComparison.Ordinal);
        Assert.Equal(1, context.Counter("c4.too_few_sentences"));
        Assert.Equal(0, context.Counter("c4.lines_removed"));
    }

    [Fact]
    public async Task Sentences_are_counted_within_lines()
    {
        var options = new C4QualityOptions { MinSentences = 3 };

        var (kept, _) = await StepRunner.RunAsync(Default, DataRecord.CreateText("r1", "One cat sat. Two dogs ran. Three birds flew. Four fish swam. Five frogs jumped."));
        var (_, context) = await StepRunner.RunAsync(new C4QualityFilter(options), DataRecord.CreateText("r2", "Mr. Smith went to Washington. He met Dr. Jones there."));

        Assert.Single(kept);
        Assert.Equal("too_few_sentences: 2 sentences < 3", context.SingleReason());
    }

    [Fact]
    public async Task Sentences_of_all_selected_fields_add_up()
    {
        DataRecord Chat() => DataRecord.CreateChat(
            "r1",
            ("user", SampleTexts.Lines[0] + "\n" + SampleTexts.Lines[1] + "\nthanks"),
            ("assistant", string.Join('\n', SampleTexts.Lines.Skip(2))));
        var assistantOnly = new C4QualityOptions();
        assistantOnly.Fields.Add(FieldNames.Assistant);

        var (kept, context) = await StepRunner.RunAsync(Default, Chat());
        var (_, rejected) = await StepRunner.RunAsync(new C4QualityFilter(assistantOnly), Chat());

        Assert.Equal(SampleTexts.Lines[0] + "\n" + SampleTexts.Lines[1], Assert.Single(kept).Fields[0].Value);
        Assert.Equal(1, context.Counter("c4.lines_removed"));
        Assert.Equal("too_few_sentences: 3 sentences < 5", rejected.SingleReason());
    }

    [Fact]
    public async Task Sentence_mode_joins_kept_sentences_with_spaces()
    {
        var options = new C4QualityOptions { SplitParagraph = false, MinSentences = 3 };

        var result = await StepRunner.RunTextAsync(new C4QualityFilter(options), "The river is long. It flows north.\nThe town is old. Menu here");

        Assert.Equal("The river is long. It flows north. The town is old.", result);
    }

    [Fact]
    public async Task Rules_can_be_turned_off()
    {
        var options = new C4QualityOptions
        {
            FilterNoTerminalPunctuation = false,
            MinSentences = null,
            MinWordsPerLine = null,
            FilterCurlyBracket = false,
            FilterJavascript = false,
        };
        const string text = "Menu\nA {template} line\nJavaScript rocks";

        Assert.Equal(text, await StepRunner.RunTextAsync(new C4QualityFilter(options), text));
    }

    [Fact]
    public void Parameters_hold_every_setting()
    {
        var step = new C4QualityFilter(new C4QualityOptions { MinSentences = null });

        Assert.Equal("filter.c4", step.Id);
        Assert.Equal("true", step.Parameters["split_paragraph"]);
        Assert.Equal("true", step.Parameters["remove_citations"]);
        Assert.Equal("true", step.Parameters["filter_no_terminal_punct"]);
        Assert.Equal("off", step.Parameters["min_num_sentences"]);
        Assert.Equal("3", step.Parameters["min_words_per_line"]);
        Assert.Equal("1000", step.Parameters["max_word_length"]);
        Assert.Equal("true", step.Parameters["filter_lorem_ipsum"]);
        Assert.Equal("true", step.Parameters["filter_javascript"]);
        Assert.Equal("true", step.Parameters["filter_curly_bracket"]);
        Assert.Equal("true", step.Parameters["filter_policy"]);
        Assert.Equal("5", Default.Parameters["min_num_sentences"]);
    }

    [Fact]
    public void Invalid_settings_throw()
    {
        var error = Assert.Throws<ArgumentException>(() => new C4QualityFilter(new C4QualityOptions { MinSentences = -1, MaxWordLength = 0 }));

        Assert.Contains("MinSentences", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxWordLength", error.Message, StringComparison.Ordinal);
    }
}
