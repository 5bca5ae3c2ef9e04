namespace Aigc.Data.Tests.Cleaning;

public sealed class EmptyFieldStepTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public async Task An_empty_field_rejects_the_record_by_default(string output)
    {
        var (kept, context) = await StepRunner.RunAsync(new EmptyFieldStep(), DataRecord.CreateInstruction("r1", "Add 2 and 2.", "x", output));

        Assert.Empty(kept);
        Assert.Equal("field 'output' is empty", context.SingleReason());
        Assert.Equal("clean.empty-fields", Assert.Single(context.Rejects).Step);
    }

    [Fact]
    public async Task A_record_without_fields_is_rejected()
    {
        var (kept, context) = await StepRunner.RunAsync(new EmptyFieldStep(), new DataRecord(RecordKind.Text, "r1"));

        Assert.Empty(kept);
        Assert.Equal("record has no fields", context.SingleReason());
    }

    [Fact]
    public async Task Drop_removes_an_empty_optional_field()
    {
        var options = new EmptyFieldOptions();
        options.Rules[FieldNames.Input] = EmptyFieldRule.Drop;
        var record = DataRecord.CreateInstruction("r1", "Name a colour.", " ", "Blue.");

        var (kept, context) = await StepRunner.RunAsync(new EmptyFieldStep(options), record);

        Assert.Equal([FieldNames.Instruction, FieldNames.Output], Assert.Single(kept).Fields.Select(f => f.Name));
        Assert.Equal(1, context.Counter("clean.empty_fields.dropped"));
    }

    [Fact]
    public async Task Default_fills_an_empty_field_and_adds_a_missing_one()
    {
        var options = new EmptyFieldOptions();
        options.Rules[FieldNames.Input] = EmptyFieldRule.Default("N/A");
        options.Rules["context"] = EmptyFieldRule.Default("none");
        var record = DataRecord.CreateInstruction("r1", "Name a colour.", "", "Blue.");

        var (kept, context) = await StepRunner.RunAsync(new EmptyFieldStep(options), record);

        var result = Assert.Single(kept);
        Assert.Equal("N/A", result.GetField(FieldNames.Input));
        Assert.Equal("none", result.GetField("context"));
        Assert.Equal(2, context.Counter("clean.empty_fields.filled"));
    }

    [Fact]
    public async Task A_missing_named_field_under_Reject_rejects_and_Drop_accepts_it()
    {
        var reject = new EmptyFieldOptions();
        reject.Rules[FieldNames.Output] = EmptyFieldRule.Reject;
        var drop = new EmptyFieldOptions();
        drop.Rules[FieldNames.Output] = EmptyFieldRule.Drop;
        var record = new DataRecord(RecordKind.Instruction, "r1").AddField(FieldNames.Instruction, "Say hi.");

        var (_, rejected) = await StepRunner.RunAsync(new EmptyFieldStep(reject), record);
        var (kept, _) = await StepRunner.RunAsync(new EmptyFieldStep(drop), record);

        Assert.Equal("field 'output' is missing", rejected.SingleReason());
        Assert.Single(kept);
    }

    [Fact]
    public async Task A_rejected_record_is_written_as_it_arrived()
    {
        var options = new EmptyFieldOptions();
        options.Rules[FieldNames.Input] = EmptyFieldRule.Drop;
        var record = DataRecord.CreateInstruction("r1", "Name a colour.", "", "");

        var (_, context) = await StepRunner.RunAsync(new EmptyFieldStep(options), record);

        var rejected = Assert.Single(context.Rejects);
        Assert.Equal("field 'output' is empty", rejected.Reason);
        Assert.Contains("\"input\"", rejected.Original, StringComparison.Ordinal);
        Assert.Equal(3, record.Fields.Count);
    }

    [Fact]
    public async Task Keep_as_default_rule_checks_only_the_named_fields()
    {
        var options = new EmptyFieldOptions { DefaultRule = EmptyFieldRule.Keep };
        options.Rules[FieldNames.Output] = EmptyFieldRule.Reject;
        var good = DataRecord.CreateInstruction("r1", "", "", "Fine.");
        var bad = DataRecord.CreateInstruction("r2", "Hi", "x", "");

        var (kept, context) = await StepRunner.RunAsync(new EmptyFieldStep(options), good, bad);

        Assert.Equal("r1", Assert.Single(kept).Id);
        Assert.Equal(3, kept[0].Fields.Count);
        Assert.Equal("field 'output' is empty", context.SingleReason());
    }

    [Fact]
    public async Task Dropping_every_field_rejects_the_record()
    {
        var options = new EmptyFieldOptions { DefaultRule = EmptyFieldRule.Drop };
        var record = DataRecord.CreateChat("r1", ("user", " "), ("assistant", ""));

        var (kept, context) = await StepRunner.RunAsync(new EmptyFieldStep(options), record);

        Assert.Empty(kept);
        Assert.Equal("record has no fields left after dropping empty fields", context.SingleReason());
    }

    [Fact]
    public async Task Chat_messages_with_the_same_role_are_each_checked()
    {
        var options = new EmptyFieldOptions();
        options.Rules[FieldNames.User] = EmptyFieldRule.Drop;
        var record = DataRecord.CreateChat("r1", ("user", "Hi"), ("assistant", "Hello."), ("user", ""), ("assistant", "Bye."));

        var (kept, _) = await StepRunner.RunAsync(new EmptyFieldStep(options), record);

        Assert.Equal(["user", "assistant", "assistant"], Assert.Single(kept).Fields.Select(f => f.Name));
    }

    [Fact]
    public void Parameters_record_every_rule()
    {
        var options = new EmptyFieldOptions { DefaultRule = EmptyFieldRule.Keep };
        options.Rules[FieldNames.Output] = EmptyFieldRule.Reject;
        options.Rules[FieldNames.Input] = EmptyFieldRule.Default("-");
        var step = new EmptyFieldStep(options);

        Assert.Equal("keep", step.Parameters["default"]);
        Assert.Equal("reject", step.Parameters["field.output"]);
        Assert.Equal("default:-", step.Parameters["field.input"]);
        Assert.Equal("reject", new EmptyFieldStep().Parameters["default"]);
        Assert.Equal(1, step.Version);
    }

    [Fact]
    public void Invalid_rules_throw()
    {
        Assert.Throws<ArgumentException>(() => EmptyFieldRule.Default(" "));
        Assert.Throws<ArgumentNullException>(() => new EmptyFieldStep(null!));
        Assert.Throws<ArgumentNullException>(() => new EmptyFieldStep(new EmptyFieldOptions { DefaultRule = null! }));
        var options = new EmptyFieldOptions();
        options.Rules["x"] = null!;
        Assert.Throws<ArgumentException>(() => new EmptyFieldStep(options));
    }
}
