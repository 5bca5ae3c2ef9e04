using System.Text;

namespace Aigc.Data.Tests.Formats;

public sealed class CsvSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Quoted_fields_escaped_quotes_and_embedded_newlines_follow_RFC_4180()
    {
        var path = _folder.WriteText(
            "alpaca.csv",
            "id,instruction,input,output\r\n" +
            "1,\"Say \"\"hi\"\", please\",,\"hi\"\r\n" +
            "2,\"Two\nlines\",\"with, comma\",\"x\r\ny\"\r\n" +
            "3,plain,\"\",\"数据 🚀\"\r\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Alpaca()));

        Assert.Empty(rejects);
        Assert.Equal(3, records.Count);
        Assert.Equal(["Say \"hi\", please", string.Empty, "hi"], records[0].Fields.Select(f => f.Value));
        Assert.Equal(["Two\nlines", "with, comma", "x\r\ny"], records[1].Fields.Select(f => f.Value));
        Assert.Equal(["plain", string.Empty, "数据 🚀"], records[2].Fields.Select(f => f.Value));
        Assert.Equal([2L, 3L, 6L], records.Select(r => r.Source!.Value.Line));
        Assert.Equal(["1", "2", "3"], records.Select(r => r.Id));
    }

    [Fact]
    public async Task LF_line_ends_a_BOM_blank_lines_and_a_missing_final_newline_are_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("text\nalpha\n\n\r\nbeta\n\"gamma\"")).ToArray();
        var path = _folder.WriteBytes("text.csv", bytes);

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Text()));

        Assert.Empty(rejects);
        Assert.Equal(["alpha", "beta", "gamma"], records.Select(r => r.GetField("text")));
        Assert.Equal([2L, 5L, 6L], records.Select(r => r.Source!.Value.Line));
        Assert.Equal(["text.csv:2", "text.csv:5", "text.csv:6"], records.Select(r => r.Id));
    }

    [Fact]
    public async Task An_unbalanced_quote_rejects_its_line_and_parsing_resumes_at_the_next_line()
    {
        var path = _folder.WriteText(
            "stray.csv",
            "id,text\n" +
            "1,fine\n" +
            "2,\"never closed, and the rest of the file would be swallowed\n" +
            "3,still read\n" +
            "4,\"quoted \"\"ok\"\"\"\n" +
            "5,\"closed\" then junk\n" +
            "6,last\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Text()));

        Assert.Equal(["1", "3", "4", "6"], records.Select(r => r.Id));
        Assert.Equal("quoted \"ok\"", records[2].GetField("text"));
        Assert.Equal([3L, 6L], rejects.Select(r => r.Line!.Value));
        Assert.All(rejects, r => Assert.StartsWith("unbalanced quote", r.Reason, StringComparison.Ordinal));
        Assert.Equal("2,\"never closed, and the rest of the file would be swallowed", rejects[0].Original);
        Assert.Equal("5,\"closed\" then junk", rejects[1].Original);
        Assert.Equal(7, records.Count + rejects.Count + 1);
    }

    [Fact]
    public async Task A_quote_left_open_at_the_end_of_the_file_rejects_only_its_line()
    {
        var path = _folder.WriteText("eof.csv", "text\nok\n\"open\nnext line\nlast line");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Text()));

        Assert.Equal(["ok", "next line", "last line"], records.Select(r => r.GetField("text")));
        var reject = Assert.Single(rejects);
        Assert.Equal(3, reject.Line);
        Assert.Contains("never closed", reject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_field_count_is_rejected_with_the_counts()
    {
        var path = _folder.WriteText("count.csv", "id,text\n1,a\n2,b,extra\n3\n4,d\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Text()));

        Assert.Equal(["1", "4"], records.Select(r => r.Id));
        Assert.Equal(["expected 2 fields, found 3", "expected 2 fields, found 1"], rejects.Select(r => r.Reason));
        Assert.Equal([3L, 4L], rejects.Select(r => r.Line!.Value));
    }

    [Fact]
    public async Task A_row_longer_than_the_maximum_is_rejected_and_reading_resumes()
    {
        var path = _folder.WriteText("long.csv", $"text\nshort\n\"{new string('z', 400_000)}\nafter\n");

        var (records, rejects) = await Read.AllAsync(new CsvSource(path, RecordSchema.Text(), maxRecordBytes: 1024));

        Assert.Equal(["short", "after"], records.Select(r => r.GetField("text")));
        var reject = Assert.Single(rejects);
        Assert.Equal(3, reject.Line);
        Assert.Contains("longer than the maximum of 1024 bytes", reject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_complete_row_longer_than_the_maximum_is_rejected_whole()
    {
        var path = _folder.WriteText("wide.csv", $"text\nshort\n\"{new string('w', 1500)}\nstill the same field\"\nafter\n");

        var (records, rejects) = await Read.AllAsync(new CsvSource(path, RecordSchema.Text(), maxRecordBytes: 1024));

        Assert.Equal(["short", "after"], records.Select(r => r.GetField("text")));
        Assert.Equal([2L, 5L], records.Select(r => r.Source!.Value.Line));
        Assert.Equal("record is longer than the maximum of 1024 bytes", Assert.Single(rejects).Reason);
    }

    [Fact]
    public async Task A_header_without_a_mapped_column_is_a_DataFileException_naming_file_and_column()
    {
        var path = _folder.WriteText("missing.csv", "instruction,response\nq,a\n");

        var error = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Csv(path, RecordSchema.Alpaca())));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("'output'", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_optional_input_column_may_be_absent()
    {
        var path = _folder.WriteText("noinput.csv", "instruction,output\nq,a\n");

        var (records, _) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Alpaca()));

        Assert.Equal(["q", string.Empty, "a"], Assert.Single(records).Fields.Select(f => f.Value));
    }

    [Fact]
    public async Task An_empty_file_or_malformed_header_is_a_DataFileException()
    {
        var empty = _folder.WriteText("empty.csv", string.Empty);
        var badHeader = _folder.WriteText("header.csv", "\"text\n1\n");
        var twice = _folder.WriteText("twice.csv", "text,text\na,b\n");

        Assert.Contains("empty", (await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Csv(empty, RecordSchema.Text())))).Message, StringComparison.Ordinal);
        Assert.Contains("header", (await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Csv(badHeader, RecordSchema.Text())))).Message, StringComparison.Ordinal);
        Assert.Contains("more than once", (await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.Csv(twice, RecordSchema.Text())))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_columns_hold_JSON_arrays_and_anything_else_is_rejected_clearly()
    {
        var path = _folder.WriteText(
            "chat.csv",
            "id,messages\n" +
            "c1,\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"你好\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"hi\"\"}]\"\n" +
            "c2,hello there\n" +
            "c3,\n" +
            "c4,\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":1}]\"\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.OpenAIMessages()));

        var record = Assert.Single(records);
        Assert.Equal([("user", "你好"), ("assistant", "hi")], record.Fields.Select(f => (f.Name, f.Value)));
        Assert.Equal(3, rejects.Count);
        Assert.StartsWith("column 'messages' must hold a JSON array of messages: invalid JSON", rejects[0].Reason, StringComparison.Ordinal);
        Assert.Equal("column 'messages' is empty; it must hold a JSON array of messages", rejects[1].Reason);
        Assert.Equal("field 'messages[0].content' must be a string, found Number", rejects[2].Reason);
    }

    [Fact]
    public async Task ShareGPT_conversations_in_a_CSV_column_are_converted()
    {
        var path = _folder.WriteText(
            "sharegpt.csv",
            "conversations\n\"[{\"\"from\"\":\"\"human\"\",\"\"value\"\":\"\"Q\"\"},{\"\"from\"\":\"\"gpt\"\",\"\"value\"\":\"\"A\"\"}]\"\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.ShareGpt()));

        Assert.Empty(rejects);
        Assert.Equal([("user", "Q"), ("assistant", "A")], Assert.Single(records).Fields.Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public async Task Labels_metadata_and_extra_columns_are_read()
    {
        var path = _folder.WriteText(
            "extras.csv",
            "text,labels,metadata,url\n" +
            "a,\"{\"\"topic\"\":\"\"math\"\"}\",,https://x\n" +
            "b,,\"{\"\"k\"\":\"\"v\"\"}\",\n" +
            "c,not json,,\n" +
            "d,\"{\"\"topic\"\":1}\",,\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Text().WithExtraFields("url")));

        Assert.Equal(2, records.Count);
        Assert.Equal("math", records[0].Labels["topic"]);
        Assert.Equal("https://x", records[0].Metadata["url"]);
        Assert.False(records[0].HasMetadata && records[0].Metadata.ContainsKey("k"));
        Assert.Equal("v", records[1].Metadata["k"]);
        Assert.False(records[1].Metadata.ContainsKey("url"));
        Assert.StartsWith("column 'labels' must hold a JSON object of strings", rejects[0].Reason, StringComparison.Ordinal);
        Assert.Equal("field 'labels.topic' must be a string, found Number", rejects[1].Reason);
    }

    [Fact]
    public async Task Without_a_header_columns_are_named_by_position()
    {
        var path = _folder.WriteText("nohead.tsv", "q1\t\ta1\nq2\tctx\ta2\n");

        var (records, rejects) = await Read.AllAsync(new CsvSource(path, RecordSchema.Alpaca("0", "1", "2"), delimiter: '\t', hasHeader: false));

        Assert.Empty(rejects);
        Assert.Equal(["q2", "ctx", "a2"], records[1].Fields.Select(f => f.Value));
        Assert.Equal([1L, 2L], records.Select(r => r.Source!.Value.Line));
    }

    [Fact]
    public async Task Without_a_header_a_schema_column_beyond_the_row_is_a_DataFileException()
    {
        var path = _folder.WriteText("narrow.csv", "a,b\n");

        var error = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(new CsvSource(path, RecordSchema.Alpaca("0", "1", "2"), hasHeader: false)));

        Assert.Contains("'2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_cell_rejects_the_row()
    {
        var bytes = Encoding.UTF8.GetBytes("id,text\n1,ok\n2,b").Concat(new byte[] { 0xE2, 0x82 }).Concat(Encoding.UTF8.GetBytes("ad\n3,ok\n")).ToArray();
        var path = _folder.WriteBytes("utf8.csv", bytes);

        var (records, rejects) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.Text()));

        Assert.Equal(["1", "3"], records.Select(r => r.Id));
        var reject = Assert.Single(rejects);
        Assert.Equal(3, reject.Line);
        Assert.Equal("column 'text' has invalid UTF-8 at byte 1", reject.Reason);
    }

    [Fact]
    public async Task Image_caption_rows_set_the_image_path()
    {
        var path = _folder.WriteText("img.csv", "file,alt\nimgs/a.png,\"A cat, asleep\"\n");

        var (records, _) = await Read.AllAsync(DataSources.Csv(path, RecordSchema.ImageCaption("file", "alt")));

        var record = Assert.Single(records);
        Assert.Equal("imgs/a.png", record.ImagePath);
        Assert.Equal("A cat, asleep", record.GetField("caption"));
    }

    [Fact]
    public async Task Fingerprint_includes_reader_settings()
    {
        var path = _folder.WriteText("fp.csv", "text\na\n");

        var comma = await DataSources.Csv(path, RecordSchema.Text()).ComputeFingerprintAsync();
        var semicolon = await DataSources.Csv(path, RecordSchema.Text(), delimiter: ';').ComputeFingerprintAsync();
        var headerless = await DataSources.Csv(path, RecordSchema.Text(), hasHeader: false).ComputeFingerprintAsync();

        Assert.Equal(comma, await DataSources.Csv(path, RecordSchema.Text()).ComputeFingerprintAsync());
        Assert.NotEqual(comma, semicolon);
        Assert.NotEqual(comma, headerless);
    }

    [Fact]
    public void Delimiters_that_break_the_format_are_refused()
    {
        Assert.Equal("delimiter", Assert.Throws<ArgumentException>(() => new CsvSource("a.csv", RecordSchema.Text(), '"')).ParamName);
        Assert.Equal("delimiter", Assert.Throws<ArgumentException>(() => new CsvSource("a.csv", RecordSchema.Text(), '\n')).ParamName);
        Assert.Equal("delimiter", Assert.Throws<ArgumentException>(() => new CsvSource("a.csv", RecordSchema.Text(), '；')).ParamName);
    }
}
