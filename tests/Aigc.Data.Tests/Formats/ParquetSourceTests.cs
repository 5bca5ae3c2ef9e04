using Parquet;
using Parquet.Schema;

namespace Aigc.Data.Tests.Formats;

public sealed class ParquetSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Nullable_string_columns_reject_null_required_values_with_the_row()
    {
        var instruction = new DataField<string>("instruction", nullable: true);
        var input = new DataField<string>("input", nullable: true);
        var output = new DataField<string>("output", nullable: true);
        var id = new DataField<long>("id", nullable: true);
        var path = await WriteAsync("alpaca.parquet", [id, instruction, input, output], async group =>
        {
            await group.WriteAsync<long>(id, new long?[] { 10, null, 12, 13 }, null, null, default);
            await group.WriteAsync<ReadOnlyMemory<char>>(instruction, Strings("翻译", "b", null, "d"), null, null, default);
            await group.WriteAsync<ReadOnlyMemory<char>>(input, Strings("猫", null, "x", null), null, null, default);
            await group.WriteAsync<ReadOnlyMemory<char>>(output, Strings("cat", "B", "C", null), null, null, default);
        });

        var (records, rejects) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.Alpaca()));

        Assert.Equal(["10", "alpaca.parquet:2"], records.Select(r => r.Id));
        Assert.Equal(["翻译", "猫", "cat"], records[0].Fields.Select(f => f.Value));
        Assert.Equal(["b", string.Empty, "B"], records[1].Fields.Select(f => f.Value));
        Assert.Equal([1L, 2L], records.Select(r => r.Source!.Value.Line));
        Assert.Equal(["field 'instruction' is null", "field 'output' is null"], rejects.Select(r => r.Reason));
        Assert.Equal([3L, 4L], rejects.Select(r => r.Line!.Value));
        Assert.Equal("read.parquet", rejects[0].Step);
        Assert.Equal("{\"id\":\"12\",\"instruction\":null,\"input\":\"x\",\"output\":\"C\"}", rejects[0].Original);
    }

    [Fact]
    public async Task Message_lists_in_the_pyarrow_layout_tell_null_empty_and_filled_apart()
    {
        // messages: optional list<optional struct<optional role, optional content>> (what pyarrow writes by default).
        var role = new DataField<string>("role", nullable: true);
        var content = new DataField<string>("content", nullable: true);
        var messages = new ListField("messages", new StructField("element", role, content));
        var path = await WriteAsync("chat.parquet", [messages], async group =>
        {
            // rows: [(user,hi),(assistant,yo)] | null | [] | [(user,q),(assistant,null)] | [null]
            int[] repetitions = [0, 1, 0, 0, 0, 1, 0];
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(role, Memory("user", "assistant", "user", "assistant"), new[] { 4, 4, 0, 1, 4, 4, 2 }, repetitions, default);
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(content, Memory("hi", "yo", "q"), new[] { 4, 4, 0, 1, 4, 3, 2 }, repetitions, default);
        });

        var (records, rejects) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.OpenAIMessages()));

        Assert.Equal(2, records.Count);
        Assert.Equal([("user", "hi"), ("assistant", "yo")], records[0].Fields.Select(f => (f.Name, f.Value)));
        Assert.Empty(records[1].Fields);
        Assert.Equal([1L, 3L], records.Select(r => r.Source!.Value.Line));
        Assert.Equal(["field 'messages' is null", "field 'messages[1].content' is null", "field 'messages[0]' is null"], rejects.Select(r => r.Reason));
        Assert.Equal([2L, 4L, 5L], rejects.Select(r => r.Line!.Value));
        Assert.Equal("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":null}]}", rejects[1].Original);
    }

    [Fact]
    public async Task ShareGPT_struct_lists_are_converted_with_the_role_map()
    {
        var from = new DataField<string>("from", nullable: false);
        var value = new DataField<string>("value", nullable: false);
        var conversations = new ListField("conversations", new StructField("element", from, value));
        var path = await WriteAsync("sharegpt.parquet", [conversations], async group =>
        {
            var filled = from.MaxDefinitionLevel;
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(from, Memory("human", "gpt", "human", "robot"), new[] { filled, filled, filled, filled }, new[] { 0, 1, 0, 1 }, default);
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(value, Memory("Q", "A", "Q2", "A2"), new[] { filled, filled, filled, filled }, new[] { 0, 1, 0, 1 }, default);
        });

        var (records, rejects) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.ShareGpt()));

        Assert.Equal([("user", "Q"), ("assistant", "A")], Assert.Single(records).Fields.Select(f => (f.Name, f.Value)));
        Assert.Contains("unknown role 'robot'", Assert.Single(rejects).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_may_be_a_JSON_string_column()
    {
        var messages = new DataField<string>("messages", nullable: true);
        var path = await WriteAsync("json.parquet", [messages], group => group.WriteAsync<ReadOnlyMemory<char>>(
            messages,
            Strings("[{\"role\":\"user\",\"content\":\"你好 👋\"}]", "not json", null),
            null,
            null,
            default));

        var (records, rejects) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.OpenAIMessages()));

        Assert.Equal([("user", "你好 👋")], Assert.Single(records).Fields.Select(f => (f.Name, f.Value)));
        Assert.StartsWith("column 'messages' must hold a JSON array of messages", rejects[0].Reason, StringComparison.Ordinal);
        Assert.Equal("field 'messages' is null", rejects[1].Reason);
    }

    [Fact]
    public async Task Labels_and_extra_columns_are_read()
    {
        var text = new DataField<string>("text", nullable: false);
        var labels = new DataField<string>("labels", nullable: true);
        var score = new DataField<double>("score", nullable: true);
        var keep = new DataField<bool>("keep", nullable: false);
        var path = await WriteAsync("extras.parquet", [text, labels, score, keep], async group =>
        {
            await group.WriteAsync<ReadOnlyMemory<char>>(text, Memory("a", "b"), null, null, default);
            await group.WriteAsync<ReadOnlyMemory<char>>(labels, Strings("{\"topic\":\"math\"}", null), null, null, default);
            await group.WriteAsync<double>(score, new double?[] { 0.25, null }, null, null, default);
            await group.WriteAsync<bool>(keep, new[] { true, false }, null, null, default);
        });

        var (records, rejects) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.Text().WithExtraFields("score", "keep")));

        Assert.Empty(rejects);
        Assert.Equal("math", records[0].Labels["topic"]);
        Assert.Equal("0.25", records[0].Metadata["score"]);
        Assert.Equal("true", records[0].Metadata["keep"]);
        Assert.False(records[1].HasLabels);
        Assert.False(records[1].Metadata.ContainsKey("score"));
        Assert.Equal("false", records[1].Metadata["keep"]);
    }

    [Fact]
    public async Task Row_numbers_continue_across_row_groups()
    {
        var path = _folder.File("groups.parquet");
        var written = Enumerable.Range(1, 7).Select(i => DataRecord.CreateText("r" + i, "text " + i)).ToList();
        await using (var writer = new ParquetRecordWriter(path, RecordKind.Text, rowGroupSize: 3))
        {
            foreach (var record in written)
            {
                await writer.WriteAsync(record);
            }
        }

        await using (var reader = await ParquetReader.CreateAsync(path))
        {
            Assert.Equal(3, reader.RowGroupCount);
        }

        var (records, _) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.Text()));

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), records.Select(r => r.Source!.Value.Line));
        RecordAssert.Equal(written, records);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(-8)]
    [InlineData(4)]
    public async Task A_truncated_file_is_a_DataFileException_naming_it(int cut)
    {
        var full = _folder.File("full.parquet");
        await RecordFiles.WriteAsync(Read.Async(SampleRecords.For(RecordKind.Instruction)), full, RecordKind.Instruction);
        var bytes = await File.ReadAllBytesAsync(full);
        var length = cut == 2 ? bytes.Length / 2 : cut < 0 ? bytes.Length + cut : cut;
        var path = _folder.WriteBytes("truncated.parquet", bytes[..length]);

        var error = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(path, RecordSchema.Alpaca())));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_Parquet_or_is_missing_is_a_DataFileException()
    {
        var text = _folder.WriteText("text.parquet", "{\"text\":\"I am JSON\"}\n");
        var missing = _folder.File("missing.parquet");

        Assert.Equal(text, (await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(text, RecordSchema.Text())))).FilePath);
        Assert.Equal(missing, (await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(missing, RecordSchema.Text())))).FilePath);
    }

    [Fact]
    public async Task Corrupt_column_data_is_a_DataFileException()
    {
        var path = _folder.File("corrupt.parquet");
        var records = Enumerable.Range(0, 200).Select(i => DataRecord.CreateText("id" + i, new string('q', 100) + i)).ToList();
        await RecordFiles.WriteAsync(Read.Async(records), path, RecordKind.Text);
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = 8; i < bytes.Length / 2; i++)
        {
            bytes[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(path, RecordSchema.Text())));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public async Task A_missing_or_mistyped_column_is_a_DataFileException_naming_file_and_column()
    {
        var path = _folder.File("text.parquet");
        await RecordFiles.WriteAsync(Read.Async(SampleRecords.For(RecordKind.Text)), path, RecordKind.Text);
        var count = new DataField<int>("text", nullable: false);
        var typed = await WriteAsync("typed.parquet", [count], group => group.WriteAsync<int>(count, new[] { 1, 2 }, null, null, default));

        var missing = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(path, RecordSchema.Text("body"))));
        var mistyped = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(typed, RecordSchema.Text())));
        var chat = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Parquet(typed, RecordSchema.OpenAIMessages("text"))));

        Assert.Equal(path, missing.FilePath);
        Assert.Contains("'body'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("must be a string column, found Int32", mistyped.Message, StringComparison.Ordinal);
        Assert.Contains("list of structs", chat.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fingerprint_follows_content_and_schema()
    {
        var path = _folder.File("fp.parquet");
        await RecordFiles.WriteAsync(Read.Async(SampleRecords.For(RecordKind.Text)), path, RecordKind.Text);

        var first = await DataSources.Parquet(path, RecordSchema.Text()).ComputeFingerprintAsync();

        Assert.Equal(first, await DataSources.Parquet(path, RecordSchema.Text()).ComputeFingerprintAsync());
        Assert.NotEqual(first, await DataSources.Parquet(path, RecordSchema.Text().WithLabelsField(null)).ComputeFingerprintAsync());
    }

    private static ReadOnlyMemory<char>?[] Strings(params string?[] values) => values.Select(v => v?.AsMemory()).ToArray();

    private static ReadOnlyMemory<char>[] Memory(params string[] values) => values.Select(v => v.AsMemory()).ToArray();

    private async Task<string> WriteAsync(string name, Field[] fields, Func<ParquetRowGroupWriter, Task> write)
    {
        var path = _folder.File(name);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await write(group);
        group.CompleteValidate();
        return path;
    }
}
