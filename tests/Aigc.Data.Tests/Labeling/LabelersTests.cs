using System.Text.RegularExpressions;
using Aigc.Data;

namespace Aigc.Data.Tests.Labeling;

public sealed class LabelersTests
{
    private static readonly KeyValuePair<string, string>[] s_rules =
    [
        new(@"\bdear (sir|madam)\b", "formal"),
        new(@"\b(hey|lol)\b", "casual"),
        new(@"\bhello\b", "neutral"),
    ];

    [Fact]
    public void Regex_labeler_first_matching_rule_wins_and_abstains_without_a_match()
    {
        var labeler = new RegexLabeler("style-regex", s_rules, options: RegexOptions.IgnoreCase);

        Assert.Equal("formal", labeler.Label(DataRecord.CreateText("1", "Dear Sir, hello and hey")));
        Assert.Equal("casual", labeler.Label(DataRecord.CreateText("2", "hey there, hello")));
        Assert.Equal("neutral", labeler.Label(DataRecord.CreateText("3", "Hello.")));
        Assert.Null(labeler.Label(DataRecord.CreateText("4", "nothing to see")));
        Assert.Equal(3, labeler.RuleCount);
    }

    [Fact]
    public void Regex_labeler_with_a_field_matches_only_fields_of_that_name()
    {
        var labeler = new RegexLabeler("user-greeting", [new(@"\bhey\b", "casual")], field: FieldNames.User);
        var userSaysHey = DataRecord.CreateChat("1", ("system", "Be nice."), ("user", "ok"), ("assistant", "Sure."), ("user", "hey you"));
        var assistantSaysHey = DataRecord.CreateChat("2", ("user", "Good day."), ("assistant", "hey"));

        Assert.Equal("casual", labeler.Label(userSaysHey));
        Assert.Null(labeler.Label(assistantSaysHey));
    }

    [Fact]
    public void Regex_labeler_rejects_bad_rules_naming_them()
    {
        var invalid = Assert.Throws<ArgumentException>(() => new RegexLabeler("r", [new("ok", "a"), new("(unclosed", "b")]));
        Assert.Contains("Rule 2", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("(unclosed", invalid.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => new RegexLabeler("r", []));
        Assert.Throws<ArgumentException>(() => new RegexLabeler("r", [new("x", " ")]));
        Assert.Throws<ArgumentException>(() => new RegexLabeler("has space", [new("x", "y")]));
    }

    [Fact]
    public void Regex_labeler_parameters_change_with_rules_order_and_field()
    {
        var a = new RegexLabeler("r", [new("a", "1"), new("b", "2")]);
        var same = new RegexLabeler("r", [new("a", "1"), new("b", "2")]);
        var reordered = new RegexLabeler("r", [new("b", "2"), new("a", "1")]);
        var otherField = new RegexLabeler("r", [new("a", "1"), new("b", "2")], field: "text");

        Assert.Equal(a.Parameters, same.Parameters);
        Assert.NotEqual(a.Parameters["rules"], reordered.Parameters["rules"]);
        Assert.NotEqual(a.Parameters["field"], otherField.Parameters["field"]);
        Assert.Equal("regex", a.Parameters["kind"]);
    }

    [Fact]
    public void Rule_labeler_votes_when_the_predicate_holds()
    {
        var labeler = new RuleLabeler("long", r => r.GetText().Length > 10, "long");

        Assert.Equal("long", labeler.Label(DataRecord.CreateText("1", "a fairly long text")));
        Assert.Null(labeler.Label(DataRecord.CreateText("2", "short")));
        Assert.Equal("rule", labeler.Parameters["kind"]);
        Assert.Equal("long", labeler.Parameters["label"]);
    }

    [Fact]
    public void Delegate_labeler_treats_blank_as_abstain_and_records_its_version()
    {
        var labeler = new DelegateLabeler("len", r => r.GetText().Length switch { 0 => "", < 5 => "tiny", _ => null }, version: "2024-06");

        Assert.Equal("tiny", labeler.Label(DataRecord.CreateText("1", "abc")));
        Assert.Null(labeler.Label(DataRecord.CreateText("2", "")));
        Assert.Null(labeler.Label(DataRecord.CreateText("3", "long enough")));
        Assert.Equal("2024-06", labeler.Parameters["version"]);
    }

    [Fact]
    public void Delegate_version_changes_the_step_fingerprint_and_the_name_is_part_of_it()
    {
        static string Fingerprint(ILabeler labeler) => DatasetFingerprint.Next(string.Empty, new LabelStep("style", [labeler]));

        var v1 = Fingerprint(new DelegateLabeler("d", _ => "x", "1"));
        var v1Again = Fingerprint(new DelegateLabeler("d", _ => "y", "1"));
        var v2 = Fingerprint(new DelegateLabeler("d", _ => "x", "2"));
        var renamed = Fingerprint(new DelegateLabeler("e", _ => "x", "1"));

        // Delegates cannot be fingerprinted: only the name and the version count.
        Assert.Equal(v1, v1Again);
        Assert.NotEqual(v1, v2);
        Assert.NotEqual(v1, renamed);
    }
}
