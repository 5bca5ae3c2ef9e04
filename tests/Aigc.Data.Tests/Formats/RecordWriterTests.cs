using System.Text;
using Parquet;
using Parquet.Schema;

namespace Aigc.Data.Tests.Formats;

public sealed class RecordWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Jsonl_writes_canonical_objects_with_unescaped_UTF8()
    {
        using var stream = new MemoryStream();
        await using (var writer = new JsonlRecordWriter(stream, leaveOpen: true))
        {
            await writer.WriteAsync(DataRecord.CreateText("a", "数据 🚀 \"q\""));
            await writer.WriteAsync(DataRecord.CreateChat("b", ("user", "hi")));
            Assert.Equal(2, writer.Count);
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(
            "{\"id\":\"a\",\"text\":\"数据 🚀 \\\"q\\\"\"}\n{\"id\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n",
            text);
    }

    [Fact]
    public async Task Jsonl_keeps_escapes_that_only_look_like_surrogate_pairs()
    {
        var path = _folder.File("escapes.jsonl");
        var tricky = "literal \\uD83D\\uDE80, emoji 😀𠀀, quote \" and backslash \\";
        await RecordFiles.WriteAsync(Read.Async([DataRecord.CreateText("1", tricky)]), path, RecordKind.Text);

        var line = Assert.Single(File.ReadAllLines(path));
        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));

        Assert.Contains("😀𠀀", line, StringComparison.Ordinal);
        Assert.Contains("literal \\\\uD83D\\\\uDE80", line, StringComparison.Ordinal);
        Assert.Empty(rejects);
        Assert.Equal(tricky, Assert.Single(records).GetField("text"));
    }

    [Fact]
    public async Task Csv_quotes_only_fields_that_need_it_and_ends_rows_with_CRLF()
    {
        using var stream = new MemoryStream();
        await using (var writer = new CsvRecordWriter(stream, RecordKind.Instruction, ',', leaveOpen: true))
        {
            var record = DataRecord.CreateInstruction("1", "plain", "a,b", "say \"hi\"\nbye");
            record.Labels["k"] = "v";
            await writer.WriteAsync(record);
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(
            "id,instruction,input,output,labels,metadata\r\n" +
            "1,plain,\"a,b\",\"say \"\"hi\"\"\nbye\",\"{\"\"k\"\":\"\"v\"\"}\",\r\n",
            text);
        Assert.False(stream.ToArray().AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "no byte order mark");
    }

    [Fact]
    public async Task Csv_with_another_delimiter_round_trips()
    {
        var path = _folder.File("data.tsv");
        var records = SampleRecords.For(RecordKind.Preference);
        await using (var writer = new CsvRecordWriter(path, RecordKind.Preference, '\t'))
        {
            foreach (var record in records)
            {
                await writer.WriteAsync(record);
            }
        }

        var (read, rejects) = await Read.AllAsync(new CsvSource(path, RecordSchema.Preference(), '\t'));

        Assert.Empty(rejects);
        RecordAssert.Equal(records, read);
    }

    [Fact]
    public async Task Parquet_writes_messages_as_a_list_of_structs_in_bounded_row_groups()
    {
        var path = _folder.File("chat.parquet");
        await using (var writer = new ParquetRecordWriter(path, RecordKind.Chat, rowGroupSize: 4))
        {
            for (var i = 0; i < 10; i++)
            {
                await writer.WriteAsync(DataRecord.CreateChat("c" + i, ("user", "q" + i), ("assistant", "a" + i)));
            }

            Assert.Equal(10, writer.Count);
        }

        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal([4L, 4L, 2L], reader.RowGroups.Select(g => g.RowCount));
        var messages = Assert.IsType<ListField>(reader.Schema.Fields.Single(f => f.Name == "messages"));
        var element = Assert.IsType<StructField>(messages.Item);
        Assert.Equal(["role", "content"], element.Fields.Select(f => f.Name));
        Assert.Equal(["id", "messages", "labels", "metadata"], reader.Schema.Fields.Select(f => f.Name));
    }

    [Theory]
    [InlineData(RecordKind.Text, "id,text,labels,metadata")]
    [InlineData(RecordKind.Instruction, "id,instruction,input,output,labels,metadata")]
    [InlineData(RecordKind.Chat, "id,messages,labels,metadata")]
    [InlineData(RecordKind.Preference, "id,prompt,chosen,rejected,labels,metadata")]
    [InlineData(RecordKind.ImageCaption, "id,image,caption,labels,metadata")]
    public async Task Parquet_and_CSV_columns_are_the_canonical_ones(RecordKind kind, string columns)
    {
        var parquet = _folder.File("cols.parquet");
        var csv = _folder.File("cols.csv");
        await RecordFiles.WriteAsync(Read.Async(SampleRecords.For(kind)), parquet, kind);
        await RecordFiles.WriteAsync(Read.Async(SampleRecords.For(kind)), csv, kind);

        await using var reader = await ParquetReader.CreateAsync(parquet);

        Assert.Equal(columns, string.Join(',', reader.Schema.Fields.Select(f => f.Name)));
        Assert.Equal(columns, File.ReadLines(csv).First());
    }

    [Fact]
    public async Task Writers_refuse_records_of_another_kind()
    {
        await using var csv = new CsvRecordWriter(_folder.File("a.csv"), RecordKind.Text);
        await using var parquet = new ParquetRecordWriter(_folder.File("a.parquet"), RecordKind.Text);
        var chat = DataRecord.CreateChat("c", ("user", "x"));

        Assert.Equal("record", (await Assert.ThrowsAsync<ArgumentException>(async () => await csv.WriteAsync(chat))).ParamName);
        Assert.Equal("record", (await Assert.ThrowsAsync<ArgumentException>(async () => await parquet.WriteAsync(chat))).ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => RecordFiles.WriteAsync(Read.Async([chat]), _folder.File("b.jsonl"), RecordKind.Text));
        Assert.False(File.Exists(_folder.File("b.jsonl")));
    }

    [Fact]
    public async Task RecordFiles_leaves_no_partial_file_when_the_stream_fails()
    {
        var path = _folder.File("partial.jsonl");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RecordFiles.WriteAsync(Failing(), path, RecordKind.Text));

        Assert.Empty(Directory.GetFiles(_folder.Path));

        static async IAsyncEnumerable<DataRecord> Failing()
        {
            yield return DataRecord.CreateText("1", "a");
            await Task.Yield();
            throw new InvalidOperationException("upstream failed");
        }
    }

    [Fact]
    public async Task RecordFiles_overwrites_and_creates_folders()
    {
        var path = Path.Combine(_folder.Path, "nested", "deeper", "out.jsonl");
        await RecordFiles.WriteAsync(Read.Async([DataRecord.CreateText("1", "first")]), path, RecordKind.Text);
        await RecordFiles.WriteAsync(Read.Async([DataRecord.CreateText("2", "second")]), path, RecordKind.Text);

        Assert.Equal(["{\"id\":\"2\",\"text\":\"second\"}"], File.ReadAllLines(path));
    }

    [Fact]
    public void Unsupported_extensions_are_refused_listing_the_supported_ones()
    {
        var write = Assert.Throws<ArgumentException>(() => RecordFiles.CreateWriter(_folder.File("data.txt"), RecordKind.Text));
        var read = Assert.Throws<ArgumentException>(() => DataSources.FromFile(_folder.File("data.xlsx"), RecordSchema.Text()));

        Assert.Equal("path", write.ParamName);
        Assert.Equal("path", read.ParamName);
        foreach (var extension in new[] { ".jsonl", ".json", ".csv", ".parquet" })
        {
            Assert.Contains(extension, write.Message, StringComparison.Ordinal);
            Assert.Contains(extension, read.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateWriter_and_FromFile_pick_the_format_by_extension()
    {
        await using (var jsonl = RecordFiles.CreateWriter(_folder.File("a.JSONL"), RecordKind.Text))
        await using (var csv = RecordFiles.CreateWriter(_folder.File("a.csv"), RecordKind.Text))
        await using (var parquet = RecordFiles.CreateWriter(_folder.File("a.parquet"), RecordKind.Text))
        {
            Assert.IsType<JsonlRecordWriter>(jsonl);
            Assert.IsType<CsvRecordWriter>(csv);
            Assert.IsType<ParquetRecordWriter>(parquet);
        }

        Assert.IsType<JsonlSource>(DataSources.FromFile("x.json", RecordSchema.Text()));
        Assert.IsType<JsonlSource>(DataSources.FromFile("x.jsonl", RecordSchema.Text()));
        Assert.IsType<CsvSource>(DataSources.FromFile("x.CSV", RecordSchema.Text()));
        Assert.IsType<ParquetSource>(DataSources.FromFile("x.parquet", RecordSchema.Text()));
    }

    [Fact]
    public async Task Disposed_writers_refuse_writes()
    {
        var writer = new JsonlRecordWriter(_folder.File("d.jsonl"));
        await writer.DisposeAsync();
        await writer.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await writer.WriteAsync(DataRecord.CreateText("1", "a")));
    }
}
