using Aigc.Data;

namespace Aigc.Data.Tests.Labeling;

public sealed class LabelStepTests
{
    private static ILabeler Fixed(string name, string? label) => new DelegateLabeler(name, _ => label);

    private static ILabeler ByText(string name, Func<string, string?> vote) => new DelegateLabeler(name, r => vote(r.GetText()));

    [Fact]
    public async Task Majority_vote_wins_and_votes_are_recorded_in_metadata()
    {
        var step = new LabelStep("style", [Fixed("a", "formal"), Fixed("b", "casual"), Fixed("c", "formal"), Fixed("d", null)]);

        var (output, context) = await LabelingRunner.RunAsync(step, [DataRecord.CreateText("1", "x")]);

        var record = Assert.Single(output);
        Assert.Equal("formal", record.Labels["style"]);
        Assert.Equal("formal", record.Metadata["label.style.a"]);
        Assert.Equal("casual", record.Metadata["label.style.b"]);
        Assert.Equal("formal", record.Metadata["label.style.c"]);
        Assert.False(record.Metadata.ContainsKey("label.style.d"));
        Assert.Equal(LabelMetadataKeys.VoteSource, record.Metadata[LabelMetadataKeys.Source("style")]);
        Assert.Equal(1, context.Counters["label.style.voted"]);
    }

    [Fact]
    public async Task Votes_are_not_recorded_when_turned_off()
    {
        var step = new LabelStep("style", [Fixed("a", "formal")], new LabelStepOptions { RecordVotes = false });

        var (output, _) = await LabelingRunner.RunAsync(step, [DataRecord.CreateText("1", "x")]);

        Assert.Equal("formal", output[0].Labels["style"]);
        Assert.False(output[0].Metadata.ContainsKey("label.style.a"));
    }

    [Fact]
    public async Task A_tie_goes_to_the_label_of_the_earliest_labeler()
    {
        var casualFirst = new LabelStep("style", [Fixed("a", "casual"), Fixed("b", "formal"), Fixed("c", "formal"), Fixed("d", "casual")]);
        var formalFirst = new LabelStep("style", [Fixed("b", "formal"), Fixed("a", "casual"), Fixed("c", "formal"), Fixed("d", "casual")]);

        var (casual, context) = await LabelingRunner.RunAsync(casualFirst, [DataRecord.CreateText("1", "x")]);
        var (formal, _) = await LabelingRunner.RunAsync(formalFirst, [DataRecord.CreateText("1", "x")]);

        Assert.Equal("casual", casual[0].Labels["style"]);
        Assert.Equal("formal", formal[0].Labels["style"]);
        Assert.Equal(1, context.Counters["label.style.ties"]);
    }

    [Fact]
    public async Task A_tie_abstains_when_configured_and_then_the_default_applies()
    {
        ILabeler[] labelers = [Fixed("a", "casual"), Fixed("b", "formal")];
        var abstain = new LabelStep("style", labelers, new LabelStepOptions { TieBreaking = LabelTieBreaking.Abstain });
        var abstainWithDefault = new LabelStep("style", labelers, new LabelStepOptions { TieBreaking = LabelTieBreaking.Abstain, DefaultLabel = "unknown" });

        var (none, context) = await LabelingRunner.RunAsync(abstain, [DataRecord.CreateText("1", "x")]);
        var (withDefault, _) = await LabelingRunner.RunAsync(abstainWithDefault, [DataRecord.CreateText("1", "x")]);

        Assert.False(none[0].Labels.ContainsKey("style"));
        Assert.Equal(1, context.Counters["label.style.abstained"]);
        Assert.Equal("unknown", withDefault[0].Labels["style"]);
        Assert.Equal(LabelMetadataKeys.DefaultSource, withDefault[0].Metadata[LabelMetadataKeys.Source("style")]);
    }

    [Fact]
    public async Task All_abstain_gives_no_label_keeps_an_existing_one_or_gives_the_default()
    {
        var silent = new LabelStep("style", [Fixed("a", null), Fixed("b", null)]);
        var withDefault = new LabelStep("style", [Fixed("a", null)], new LabelStepOptions { DefaultLabel = "other" });
        var preLabelled = DataRecord.CreateText("2", "y");
        preLabelled.Labels["style"] = "given";

        var (output, context) = await LabelingRunner.RunAsync(silent, [DataRecord.CreateText("1", "x"), preLabelled]);
        var (defaulted, defaultContext) = await LabelingRunner.RunAsync(withDefault, [DataRecord.CreateText("1", "x")]);

        Assert.False(output[0].HasLabels);
        Assert.Equal("given", output[1].Labels["style"]);
        Assert.Equal(2, context.Counters["label.style.abstained"]);
        Assert.Equal("other", defaulted[0].Labels["style"]);
        Assert.Equal(1, defaultContext.Counters["label.style.default"]);
    }

    [Fact]
    public async Task Labels_of_several_records_follow_their_own_votes_and_no_record_is_dropped()
    {
        var step = new LabelStep("topic",
        [
            ByText("sports", t => t.Contains("goal", StringComparison.Ordinal) ? "sports" : null),
            ByText("politics", t => t.Contains("vote", StringComparison.Ordinal) ? "politics" : null),
            new RegexLabeler("regex", [new(@"\bmatch\b", "sports"), new(@"\belection\b", "politics")]),
        ]);
        DataRecord[] records =
        [
            DataRecord.CreateText("1", "a late goal won the match"),
            DataRecord.CreateText("2", "the election vote was close"),
            DataRecord.CreateText("3", "weather is fine"),
        ];

        var (output, context) = await LabelingRunner.RunAsync(step, records);

        Assert.Equal(3, output.Count);
        Assert.Equal("sports", output[0].Labels["topic"]);
        Assert.Equal("politics", output[1].Labels["topic"]);
        Assert.False(output[2].HasLabels);
        Assert.Equal(0, context.RejectedCount);
    }

    [Fact]
    public void Step_parameters_list_labelers_in_order_with_their_parameters()
    {
        var step = new LabelStep("style", [new RegexLabeler("r", [new("a", "x")]), Fixed("d", "y")], new LabelStepOptions { DefaultLabel = "z" });

        Assert.Equal("label.apply", step.Id);
        Assert.Equal("r,d", step.Parameters["labelers"]);
        Assert.Equal("regex", step.Parameters["labeler.r.kind"]);
        Assert.Equal("delegate", step.Parameters["labeler.d.kind"]);
        Assert.Equal("z", step.Parameters["default"]);
        Assert.Equal("style", step.Parameters["set"]);
    }

    [Fact]
    public void Invalid_configuration_throws()
    {
        Assert.Throws<ArgumentException>(() => new LabelStep("style", []));
        Assert.Throws<ArgumentException>(() => new LabelStep("style", [Fixed("a", "x"), Fixed("a", "y")]));
        Assert.Throws<ArgumentException>(() => new LabelStep("", [Fixed("a", "x")]));
        Assert.Throws<ArgumentException>(() => new LabelStep("style", [Fixed("a", "x")], new LabelStepOptions { DefaultLabel = " " }));
        Assert.Throws<ArgumentNullException>(() => new LabelStep("style", [null!]));
    }
}
