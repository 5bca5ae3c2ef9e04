using Aigc.Data;

namespace Aigc.Data.Tests.Labeling;

public sealed class HumanLabelsStepTests
{
    [Fact]
    public async Task Imports_labels_by_id_and_counts_labelled_and_unknown_ids()
    {
        var path = LabelingRunner.WriteTempFile(
            "{\"id\": \"a\", \"label\": \"formal\"}\n" +
            "\n" +
            "{\"id\": 7, \"label\": \"casual\"}\r\n" +
            "{\"id\": \"ghost\", \"label\": \"formal\"}\n" +
            "{\"id\": \"a\", \"label\": \"formal\"}\n");
        var step = await HumanLabelsStep.LoadAsync("style", path);

        var (output, context) = await LabelingRunner.RunAsync(step, [DataRecord.CreateText("a", "x"), DataRecord.CreateText("7", "y"), DataRecord.CreateText("b", "z")]);

        Assert.Equal(3, output.Count);
        Assert.Equal("formal", output[0].Labels["style"]);
        Assert.Equal("casual", output[1].Labels["style"]);
        Assert.False(output[2].HasLabels);
        Assert.Equal(LabelMetadataKeys.HumanSource, output[0].Metadata[LabelMetadataKeys.Source("style")]);
        Assert.Equal(2, context.Counters["label.style.human"]);
        Assert.Equal(1, context.Counters["label.style.human.unknown"]);
        Assert.Equal(3, step.Labels.Count);
    }

    [Fact]
    public async Task Human_labels_override_programmatic_ones_in_either_order()
    {
        var human = new HumanLabelsStep("style", new Dictionary<string, string> { ["a"] = "formal" });
        var vote = new LabelStep("style", [new DelegateLabeler("always-casual", _ => "casual")]);

        // Vote first, then human labels: the human label replaces the vote.
        var (afterVote, voteContext) = await LabelingRunner.RunAsync(vote, [DataRecord.CreateText("a", "x"), DataRecord.CreateText("b", "y")]);
        var (voteThenHuman, humanContext) = await LabelingRunner.RunAsync(human, afterVote);

        // Human labels first, then the vote: the vote does not overwrite them.
        var (humanFirst, _) = await LabelingRunner.RunAsync(human, [DataRecord.CreateText("a", "x"), DataRecord.CreateText("b", "y")]);
        var (humanThenVote, keptContext) = await LabelingRunner.RunAsync(vote, humanFirst);

        Assert.Equal("formal", voteThenHuman[0].Labels["style"]);
        Assert.Equal("casual", voteThenHuman[1].Labels["style"]);
        Assert.Equal(1, humanContext.Counters["label.style.human.overridden"]);
        Assert.Equal("formal", humanThenVote[0].Labels["style"]);
        Assert.Equal("casual", humanThenVote[1].Labels["style"]);
        Assert.Equal("casual", humanThenVote[0].Metadata["label.style.always-casual"]);
        Assert.Equal(1, keptContext.Counters["label.style.human-kept"]);
        Assert.Equal(2, voteContext.Counters["label.style.voted"]);
    }

    [Fact]
    public async Task Field_names_are_configurable_and_numbers_and_booleans_are_labels()
    {
        var path = LabelingRunner.WriteTempFile("{\"uid\":\"a\",\"y\":1}\n{\"uid\":\"b\",\"y\":true}\n");
        var step = await HumanLabelsStep.LoadAsync("flag", path, new HumanLabelsOptions { IdField = "uid", LabelField = "y" });

        var (output, _) = await LabelingRunner.RunAsync(step, [DataRecord.CreateText("a", "x"), DataRecord.CreateText("b", "y")]);

        Assert.Equal("1", output[0].Labels["flag"]);
        Assert.Equal("true", output[1].Labels["flag"]);
        Assert.Equal("uid", step.Parameters["id-field"]);
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"label\":\"x\"}\n{\"id\":\"b\",\"label\":\n", 2, "invalid JSON")]
    [InlineData("{\"id\":\"a\",\"label\":\"x\"}\n[1,2]\n", 2, "expected a JSON object")]
    [InlineData("{\"id\":\"a\"}\n", 1, "no \"label\" property")]
    [InlineData("{\"label\":\"x\"}\n", 1, "no \"id\" property")]
    [InlineData("{\"id\":\"a\",\"label\":\"\"}\n", 1, "\"label\" is empty")]
    [InlineData("{\"id\":{},\"label\":\"x\"}\n", 1, "\"id\" is Object")]
    [InlineData("{\"id\":\"a\",\"label\":null}\n", 1, "\"label\" is Null")]
    [InlineData("\n{\"id\":\"a\",\"label\":\"x\"}\n\n{\"id\":\"a\",\"label\":\"y\"}\n", 4, "line 2 labels it 'x'")]
    public async Task Malformed_lines_throw_naming_the_file_and_the_line(string content, int line, string message)
    {
        var path = LabelingRunner.WriteTempFile(content);

        var error = await Assert.ThrowsAsync<DataFileException>(() => HumanLabelsStep.LoadAsync("style", path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_throws_a_data_file_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), "aigc-labeling-tests", "does-not-exist.jsonl");

        var error = await Assert.ThrowsAsync<DataFileException>(() => HumanLabelsStep.LoadAsync("style", path));

        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public async Task The_file_hash_is_in_the_parameters()
    {
        var first = await HumanLabelsStep.LoadAsync("style", LabelingRunner.WriteTempFile("{\"id\":\"a\",\"label\":\"x\"}\n"));
        var same = await HumanLabelsStep.LoadAsync("style", LabelingRunner.WriteTempFile("{\"id\":\"a\",\"label\":\"x\"}\n"));
        var changed = await HumanLabelsStep.LoadAsync("style", LabelingRunner.WriteTempFile("{\"id\":\"a\",\"label\":\"y\"}\n"));

        Assert.Equal(first.Parameters["hash"], same.Parameters["hash"]);
        Assert.NotEqual(first.Parameters["hash"], changed.Parameters["hash"]);
        Assert.Equal(32, first.Parameters["hash"].Length);
        Assert.Equal("label.human", first.Id);
    }

    [Fact]
    public void In_memory_labels_hash_does_not_depend_on_insertion_order()
    {
        var a = new HumanLabelsStep("s", new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        var b = new HumanLabelsStep("s", new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" });
        var c = new HumanLabelsStep("s", new Dictionary<string, string> { ["y"] = "1", ["x"] = "2" });

        Assert.Equal(a.Parameters["hash"], b.Parameters["hash"]);
        Assert.NotEqual(a.Parameters["hash"], c.Parameters["hash"]);
        Assert.Throws<ArgumentException>(() => new HumanLabelsStep("s", new Dictionary<string, string> { ["x"] = " " }));
    }
}
