using Aigc.Data.Tests.Cleaning;
using Microsoft.ML.Tokenizers;

namespace Aigc.Data.Tests.Filters;

public sealed class LengthFilterStepTests
{
    private static readonly Lazy<Tokenizer> Gpt2 = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    [Fact]
    public async Task Words_below_the_minimum_are_rejected_with_the_measured_length()
    {
        var step = new LengthFilterStep(new LengthFilterOptions { Minimum = 3 });

        var (kept, context) = await StepRunner.RunAsync(step, DataRecord.CreateText("short", "two words"), DataRecord.CreateText("ok", "three words here"));

        Assert.Equal("ok", Assert.Single(kept).Id);
        Assert.Equal("2 words < minimum 3", context.SingleReason());
    }

    [Fact]
    public async Task Words_above_the_maximum_are_rejected()
    {
        var step = new LengthFilterStep(new LengthFilterOptions { Maximum = 4 });

        var (kept, context) = await StepRunner.RunAsync(step, DataRecord.CreateText("r1", "one two three four five"));

        Assert.Empty(kept);
        Assert.Equal("5 words > maximum 4", context.SingleReason());
    }

    [Fact]
    public async Task Chinese_is_counted_per_character()
    {
        var step = new LengthFilterStep(new LengthFilterOptions { Minimum = 8 });

        var (_, context) = await StepRunner.RunAsync(step, DataRecord.CreateText("r1", "我爱北京天安门"));

        Assert.Equal("7 words < minimum 8", context.SingleReason());
    }

    [Fact]
    public async Task Characters_are_grapheme_clusters_not_utf16_units()
    {
        var step = new LengthFilterStep(new LengthFilterOptions { Unit = LengthUnit.Characters, Minimum = 0, Maximum = 3 });
        var three = "e\u0301\U0001F468\u200D\U0001F469\u200D\U0001F467\U0001F1EB\U0001F1F7";

        var (kept, context) = await StepRunner.RunAsync(step, DataRecord.CreateText("fits", three), DataRecord.CreateText("long", three + "x"));

        Assert.True(three.Length > 10);
        Assert.Equal("fits", Assert.Single(kept).Id);
        Assert.Equal("4 characters > maximum 3", context.SingleReason());
        Assert.Equal("characters", step.Parameters["unit"]);
    }

    [Fact]
    public async Task Tokens_are_counted_with_the_given_tokenizer()
    {
        var step = new LengthFilterStep(new LengthFilterOptions { Unit = LengthUnit.Tokens, Minimum = 0, Maximum = 2, Tokenizer = Gpt2.Value, TokenizerName = "gpt2" });

        var (kept, context) = await StepRunner.RunAsync(step, DataRecord.CreateText("r1", "Hello world"), DataRecord.CreateText("r2", "Hello world again"));

        Assert.Equal("r1", Assert.Single(kept).Id);
        Assert.Equal("3 tokens > maximum 2", context.SingleReason());
        Assert.Equal("gpt2", step.Parameters["tokenizer"]);
        Assert.Equal("tokens", step.Parameters["unit"]);
    }

    [Fact]
    public async Task The_selected_fields_are_added_up()
    {
        var options = new LengthFilterOptions { Minimum = 4 };
        options.Fields.Add(FieldNames.Instruction);
        options.Fields.Add(FieldNames.Output);
        var step = new LengthFilterStep(options);

        var (kept, context) = await StepRunner.RunAsync(
            step,
            DataRecord.CreateInstruction("r1", "Say hi", "lots of words in the input field", "Hi there"),
            DataRecord.CreateInstruction("r2", "Say", "lots of words in the input field", "Hi"));

        Assert.Equal("r1", Assert.Single(kept).Id);
        Assert.Equal("2 words < minimum 4", context.SingleReason());
    }

    [Fact]
    public async Task Per_field_bounds_name_the_field_and_treat_missing_fields_as_empty()
    {
        var options = new LengthFilterOptions { Minimum = 1, PerField = true };
        options.Fields.Add(FieldNames.Output);
        var step = new LengthFilterStep(options);
        var missing = new DataRecord(RecordKind.Instruction, "r1").AddField(FieldNames.Instruction, "Do it");

        var (_, context) = await StepRunner.RunAsync(step, missing);
        var (_, all) = await StepRunner.RunAsync(
            new LengthFilterStep(new LengthFilterOptions { Minimum = 2, PerField = true }),
            DataRecord.CreateInstruction("r2", "Two words", "x", "also two"));

        Assert.Equal("field 'output': 0 words < minimum 1", context.SingleReason());
        Assert.Equal("field 'input': 1 words < minimum 2", all.SingleReason());
    }

    [Fact]
    public void Parameters_are_complete()
    {
        var step = new LengthFilterStep(new LengthFilterOptions { Minimum = 2, Maximum = 10 });

        Assert.Equal("filter.length", step.Id);
        Assert.Equal("words", step.Parameters["unit"]);
        Assert.Equal("2", step.Parameters["minimum"]);
        Assert.Equal("10", step.Parameters["maximum"]);
        Assert.Equal("false", step.Parameters["per_field"]);
        Assert.Equal("*", step.Parameters["fields"]);
        Assert.Equal(string.Empty, step.Parameters["tokenizer"]);
        Assert.Equal("none", new LengthFilterStep(new LengthFilterOptions()).Parameters["maximum"]);
    }

    [Fact]
    public void Invalid_options_list_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new LengthFilterStep(new LengthFilterOptions { Unit = LengthUnit.Tokens, Minimum = -1, Maximum = -5 }));

        Assert.Contains("Minimum is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Maximum -5 is below Minimum -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tokenizer", error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
        Assert.Throws<ArgumentException>(() => new LengthFilterStep(new LengthFilterOptions { Unit = LengthUnit.Tokens, Tokenizer = Gpt2.Value }));
        Assert.Throws<ArgumentNullException>(() => new LengthFilterStep(null!));
    }
}
