using System.Globalization;
using System.Text;
using CsCheck;

namespace Aigc.Data.Tests.Cleaning;

public sealed class NormalizeTextStepTests
{
    private static readonly NormalizeTextStep Default = new();

    [Fact]
    public async Task Decomposed_e_acute_is_composed_to_NFC()
    {
        var text = await StepRunner.RunTextAsync(Default, "Cafe\u0301 au lait");

        Assert.Equal("Caf\u00E9 au lait", text);
        Assert.Equal(12, text.Length);
        Assert.True(text.IsNormalized(NormalizationForm.FormC));
    }

    [Theory]
    [InlineData("a\u0000b\u0007c\u001Bd\u007Fe", "abcde")]
    [InlineData("x\u0080\u009Fy", "xy")]
    [InlineData("\uFEFFhello\u200Bworld", "helloworld")]
    [InlineData("co\u00ADop\u2060er\u200Eat\u202Eion", "cooperation")]
    [InlineData("zero\u200Cwidth\u200Djoiners", "zerowidthjoiners")]
    public void Control_and_format_characters_are_removed(string input, string expected)
    {
        Assert.Equal(expected, Default.Normalize(input));
    }

    [Fact]
    public void Joiners_are_kept_when_asked()
    {
        var step = new NormalizeTextStep(new NormalizeTextOptions { KeepJoiners = true });
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";

        Assert.Equal(family + " x", step.Normalize(family + " \u200Bx"));
        Assert.Equal("\U0001F468\U0001F469\U0001F467 x", Default.Normalize(family + " x"));
    }

    [Theory]
    [InlineData("  a   b \t\t c  ", "a b c")]
    [InlineData("a\u00A0\u00A0b\u3000c\u2003d", "a b c d")]
    [InlineData("\t\n  \r\n ", "")]
    [InlineData("", "")]
    public void White_space_is_collapsed_and_trimmed(string input, string expected)
    {
        Assert.Equal(expected, Default.Normalize(input));
    }

    [Theory]
    [InlineData(NewlineHandling.KeepLines, "a\nb c\n\nd")]
    [InlineData(NewlineHandling.KeepParagraphs, "a b c\n\nd")]
    [InlineData(NewlineHandling.Collapse, "a b c d")]
    public void Line_breaks_follow_the_option(NewlineHandling newlines, string expected)
    {
        var step = new NormalizeTextStep(new NormalizeTextOptions { Newlines = newlines });

        Assert.Equal(expected, step.Normalize("  a  \r\n  b   c \r\r\n \n\n\u2028d \n"));
    }

    [Fact]
    public void Unpaired_surrogates_are_removed_and_pairs_kept()
    {
        Assert.Equal("ab\U0001F600c", Default.Normalize("a\uD800b\U0001F600\uDC00c"));
    }

    [Fact]
    public void Html_is_left_alone_by_default()
    {
        Assert.Equal("<b>Fish &amp; chips</b>", Default.Normalize("<b>Fish &amp; chips</b>"));
    }

    [Fact]
    public void Html_stripping_removes_scripts_styles_comments_and_tags_and_decodes_entities()
    {
        var step = new NormalizeTextStep(new NormalizeTextOptions { StripHtml = true });
        const string html = "<!DOCTYPE html><html><head><title>Menu</title><style>p { color: red; }</style>"
            + "<script type=\"text/javascript\">if (a < b) { alert('</p>'); }</script></head>"
            + "<body><!-- a <b>comment</b> --><p class='x'>Fish &amp; chips</p><p>caf&eacute; &#233; &#xE9; &#x1F600; &copy;&hellip;</p>"
            + "<ul><li>one</li><li>two<br/>three</li></ul><table><tr><td>c1</td><td>c2</td></tr></table>&notanentity; &#xZZ; 5 &lt; 6</body></html>";

        var text = step.Normalize(html);

        Assert.Equal("Menu\nFish & chips\ncafé é é \U0001F600 ©…\none\ntwo\nthree\nc1 c2\n&notanentity; &#xZZ; 5 < 6", text);
    }

    [Theory]
    [InlineData("a < b and c > d", "a < b and c > d")]
    [InlineData("x<y", "x<y")]
    [InlineData("if x <3 then", "if x <3 then")]
    [InlineData("AT&T & co", "AT&T & co")]
    [InlineData("<script>never closed", "")]
    [InlineData("before<!-- never closed", "before")]
    [InlineData("<p>uncommon &Omega; &rarr; entity</p>", "uncommon Ω → entity")]
    public void Html_stripping_keeps_text_that_is_not_markup(string input, string expected)
    {
        var step = new NormalizeTextStep(new NormalizeTextOptions { StripHtml = true });

        Assert.Equal(expected, step.Normalize(input));
    }

    [Fact]
    public async Task Unchanged_fields_keep_their_instance_and_are_not_counted()
    {
        var value = "Already clean text.\nSecond line.";
        var record = DataRecord.CreateText("r1", value);

        var (kept, context) = await StepRunner.RunAsync(Default, record);

        Assert.Same(value, Assert.Single(kept).Fields[0].Value);
        Assert.Equal(0, context.Counter("clean.normalize.fields_changed"));
    }

    [Fact]
    public async Task Every_field_is_normalized_unless_fields_are_named()
    {
        var all = DataRecord.CreateInstruction("r1", " Sum  up ", "\u200Bx ", " y  z ");
        var named = DataRecord.CreateInstruction("r2", " Sum  up ", "\u200Bx ", " y  z ");
        var options = new NormalizeTextOptions();
        options.Fields.Add(FieldNames.Output);

        var (_, context) = await StepRunner.RunAsync(Default, all);
        await StepRunner.RunAsync(new NormalizeTextStep(options), named);

        Assert.Equal(["Sum up", "x", "y z"], all.Fields.Select(f => f.Value));
        Assert.Equal(3, context.Counter("clean.normalize.fields_changed"));
        Assert.Equal([" Sum  up ", "\u200Bx ", "y z"], named.Fields.Select(f => f.Value));
    }

    [Fact]
    public void Parameters_are_complete_and_change_with_the_settings()
    {
        var options = new NormalizeTextOptions { StripHtml = true, Newlines = NewlineHandling.Collapse };
        options.Fields.Add("text");
        var step = new NormalizeTextStep(options);

        Assert.Equal("clean.normalize", step.Id);
        Assert.Equal(1, step.Version);
        Assert.Equal("text", step.Parameters["fields"]);
        Assert.Equal("NFC", step.Parameters["form"]);
        Assert.Equal("Collapse", step.Parameters["newlines"]);
        Assert.Equal("true", step.Parameters["strip_html"]);
        Assert.Equal("false", step.Parameters["keep_joiners"]);
        Assert.Equal("*", Default.Parameters["fields"]);
        Assert.NotEqual(DatasetFingerprint.Next(string.Empty, Default), DatasetFingerprint.Next(string.Empty, step));
        Assert.Equal(DatasetFingerprint.Next(string.Empty, Default), DatasetFingerprint.Next(string.Empty, new NormalizeTextStep()));
    }

    [Fact]
    public void Invalid_options_throw()
    {
        Assert.Throws<ArgumentNullException>(() => new NormalizeTextStep(null!));
        Assert.Throws<ArgumentException>(() => new NormalizeTextStep(new NormalizeTextOptions { Newlines = (NewlineHandling)9 }));
        var options = new NormalizeTextOptions();
        options.Fields.Add(string.Empty);
        Assert.Throws<ArgumentException>(() => new NormalizeTextStep(options));
    }

    [Fact]
    public void Normalizing_is_idempotent_and_leaves_no_control_characters_or_double_spaces()
    {
        var html = new NormalizeTextStep(new NormalizeTextOptions { StripHtml = true });
        var gen = Gen.Char["ab e\u0301\u00E9\t\n\r\u000B\u0000\u200B\u200D\uFEFF\u00A0\u3000\u2028<>&;#x/p!-\uD83D\uDE00\uD800\u4E00"].Array[0, 40]
            .Select(chars => new string(chars));

        gen.Sample(input =>
        {
            foreach (var step in new[] { Default, html })
            {
                var once = step.Normalize(input);
                Assert.Equal(once, Default.Normalize(once));
                Assert.DoesNotContain("  ", once, StringComparison.Ordinal);
                Assert.DoesNotContain("\n\n\n", once, StringComparison.Ordinal);
                Assert.Equal(once.Trim(), once);
                Assert.True(once.IsNormalized(NormalizationForm.FormC));
                foreach (var c in once)
                {
                    var category = CharUnicodeInfo.GetUnicodeCategory(c);
                    Assert.True(c == '\n' || (category != UnicodeCategory.Control && category != UnicodeCategory.Format), $"U+{(int)c:X4} left in {once}");
                }
            }
        });
    }
}
