using System.Text;

namespace Aigc.Data.Tests.Formats;

public sealed class JsonlSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reads_plain_text_with_CJK_and_emoji()
    {
        var path = _folder.WriteText(
            "text.jsonl",
            "{\"id\":\"a\",\"text\":\"" + SampleRecords.Cjk + "\"}\n{\"id\":\"b\",\"text\":\"" + SampleRecords.Emoji + "\",\"labels\":{\"lang\":\"en\"}}\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));

        Assert.Empty(rejects);
        Assert.Equal(2, records.Count);
        Assert.Equal(RecordKind.Text, records[0].Kind);
        Assert.Equal(SampleRecords.Cjk, records[0].GetField("text"));
        Assert.Equal(SampleRecords.Emoji, records[1].GetField("text"));
        Assert.Equal("en", records[1].Labels["lang"]);
        Assert.Equal(new RecordSource(path, 2), records[1].Source);
    }

    [Fact]
    public async Task Reads_Alpaca_with_custom_names_and_missing_input_as_empty()
    {
        var path = _folder.WriteText("alpaca.jsonl", """
            {"prompt":"Translate","context":"猫","response":"cat"}
            {"prompt":"Say hi","response":"hi","context":null}
            {"prompt":"Count","response":"1 2 3"}
            """);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Alpaca("prompt", "context", "response")));

        Assert.Empty(rejects);
        Assert.Equal(3, records.Count);
        Assert.Equal(["instruction", "input", "output"], records[0].Fields.Select(f => f.Name));
        Assert.Equal(["Translate", "猫", "cat"], records[0].Fields.Select(f => f.Value));
        Assert.Equal(string.Empty, records[1].GetField("input"));
        Assert.Equal(string.Empty, records[2].GetField("input"));
    }

    [Fact]
    public async Task Reads_OpenAI_messages_keeping_roles_in_order()
    {
        var path = _folder.WriteText("chat.jsonl", """
            {"id":"c1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"你好"},{"role":"assistant","content":"👋"}]}
            {"id":"c2","messages":[]}
            """);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.OpenAIMessages()));

        Assert.Empty(rejects);
        Assert.Equal([("system", "Be brief."), ("user", "你好"), ("assistant", "👋")], records[0].Fields.Select(f => (f.Name, f.Value)));
        Assert.Empty(records[1].Fields);
    }

    [Fact]
    public async Task Converts_ShareGPT_conversations_to_messages()
    {
        var path = _folder.WriteText("sharegpt.jsonl", """
            {"id":"s1","conversations":[{"from":"system","value":"sys"},{"from":"human","value":"Q"},{"from":"gpt","value":"A"}]}
            {"id":"s2","conversations":[{"from":"human","value":"Q"},{"from":"bot","value":"A"}]}
            """);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.ShareGpt()));

        var record = Assert.Single(records);
        Assert.Equal(RecordKind.Chat, record.Kind);
        Assert.Equal([("system", "sys"), ("user", "Q"), ("assistant", "A")], record.Fields.Select(f => (f.Name, f.Value)));
        var reject = Assert.Single(rejects);
        Assert.Equal(2, reject.Line);
        Assert.Contains("unknown role 'bot'", reject.Reason, StringComparison.Ordinal);
        Assert.Contains("conversations[1].from", reject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShareGPT_role_map_can_admit_more_roles()
    {
        var path = _folder.WriteText("sharegpt.jsonl", """
            {"conversations":[{"from":"human","value":"Q"},{"from":"bot","value":"A"}]}
            """);
        var roles = new Dictionary<string, string> { ["human"] = "user", ["bot"] = "assistant" };

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.ShareGpt(roles: roles)));

        Assert.Empty(rejects);
        Assert.Equal(["user", "assistant"], Assert.Single(records).Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task Reads_preference_and_image_caption()
    {
        var preference = _folder.WriteText("pref.jsonl", """
            {"id":"p","prompt":"2+2?","chosen":"4","rejected":"5"}
            """);
        var images = _folder.WriteText("img.jsonl", """
            {"id":"m","path":"imgs/猫.png","alt":"一只猫 🐈"}
            """);

        var (prefs, _) = await Read.AllAsync(DataSources.Jsonl(preference, RecordSchema.Preference()));
        var (caps, rejects) = await Read.AllAsync(DataSources.Jsonl(images, RecordSchema.ImageCaption("path", "alt")));

        Assert.Equal([("prompt", "2+2?"), ("chosen", "4"), ("rejected", "5")], Assert.Single(prefs).Fields.Select(f => (f.Name, f.Value)));
        Assert.Empty(rejects);
        var image = Assert.Single(caps);
        Assert.Equal("imgs/猫.png", image.ImagePath);
        Assert.Equal("一只猫 🐈", image.GetField("caption"));
    }

    [Fact]
    public async Task Ids_come_from_the_id_field_or_default_to_file_and_line()
    {
        var path = _folder.WriteText("ids.jsonl", """
            {"id":"x-1","text":"a"}
            {"id":42,"text":"b"}

            {"text":"c"}
            {"id":null,"text":"d"}
            {"uid":"u","text":"e"}
            """);

        var (records, _) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));
        var (custom, _) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text().WithIdField("uid")));

        Assert.Equal(["x-1", "42", "ids.jsonl:4", "ids.jsonl:5", "ids.jsonl:6"], records.Select(r => r.Id));
        Assert.Equal("u", custom[^1].Id);
        Assert.Equal("ids.jsonl:1", custom[0].Id);
    }

    [Fact]
    public async Task Labels_metadata_and_extra_fields_are_copied()
    {
        var path = _folder.WriteText("extras.jsonl", """
            {"text":"a","labels":{"topic":"math"},"metadata":{"origin":"web"},"url":"https://x","score":0.5,"tags":["a","b"],"gone":null}
            """);
        var schema = RecordSchema.Text().WithExtraFields("url", "score", "tags", "gone", "absent");

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, schema));

        Assert.Empty(rejects);
        var record = Assert.Single(records);
        Assert.Equal("math", record.Labels["topic"]);
        Assert.Equal("web", record.Metadata["origin"]);
        Assert.Equal("https://x", record.Metadata["url"]);
        Assert.Equal("0.5", record.Metadata["score"]);
        Assert.Equal("[\"a\",\"b\"]", record.Metadata["tags"]);
        Assert.False(record.Metadata.ContainsKey("gone"));
        Assert.False(record.Metadata.ContainsKey("absent"));
    }

    [Fact]
    public async Task Blank_lines_CRLF_and_a_byte_order_mark_are_handled()
    {
        var bytes = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("{\"text\":\"one\"}\r\n\r\n   \r\n{\"text\":\"two\"}\r\n{\"text\":\"three\"}"))
            .ToArray();
        var path = _folder.WriteBytes("crlf.jsonl", bytes);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));

        Assert.Empty(rejects);
        Assert.Equal(["one", "two", "three"], records.Select(r => r.GetField("text")));
        Assert.Equal([1L, 4L, 5L], records.Select(r => r.Source!.Value.Line));
    }

    [Fact]
    public async Task Malformed_JSON_is_rejected_with_line_and_reason_and_reading_goes_on()
    {
        var path = _folder.WriteText("bad.jsonl", """
            {"text":"ok 1"}
            {"text":"unterminated
            {"text": tru}
            [1,2,3]
            {"text":"ok 2"} trailing
            {"text":"ok 3"}
            """);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));

        Assert.Equal(["ok 1", "ok 3"], records.Select(r => r.GetField("text")));
        Assert.Equal([2L, 3L, 4L, 5L], rejects.Select(r => r.Line!.Value));
        Assert.All(rejects, r => Assert.Equal(path, r.SourceFile));
        Assert.All(rejects, r => Assert.Equal("read.jsonl", r.Step));
        Assert.StartsWith("invalid JSON at byte", rejects[0].Reason, StringComparison.Ordinal);
        Assert.Equal("{\"text\":\"unterminated", rejects[0].Original);
        Assert.StartsWith("invalid JSON", rejects[1].Reason, StringComparison.Ordinal);
        Assert.Equal("expected a JSON object, found Array", rejects[2].Reason);
        Assert.StartsWith("invalid JSON", rejects[3].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_field_types_and_missing_fields_give_precise_reasons()
    {
        var path = _folder.WriteText("types.jsonl", """
            {"instruction":"i","output":7}
            {"instruction":"i"}
            {"instruction":"i","input":["x"],"output":"o"}
            {"instruction":"i","output":"o","labels":{"topic":3}}
            {"instruction":"i","output":"o","labels":"math"}
            {"instruction":"i","output":"o","id":{"a":1}}
            {"instruction":null,"output":"o"}
            """);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Alpaca()));

        Assert.Empty(records);
        Assert.Equal(
            [
                "field 'output' must be a string, found Number",
                "field 'output' is missing",
                "field 'input' must be a string, found Array",
                "field 'labels.topic' must be a string, found Number",
                "field 'labels' must be an object of strings, found String",
                "field 'id' must be a string or a number, found Object",
                "field 'instruction' must be a string, found Null",
            ],
            rejects.Select(r => r.Reason));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), rejects.Select(r => r.Line!.Value));
    }

    [Fact]
    public async Task Message_errors_name_the_exact_element()
    {
        var path = _folder.WriteText("msgs.jsonl", """
            {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":3}]}
            {"messages":[{"role":"user"}]}
            {"messages":[{"content":"x"}]}
            {"messages":["hi"]}
            {"messages":{"role":"user","content":"x"}}
            {"messages":[{"role":"","content":"x"}]}
            {"conversation":[]}
            """);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.OpenAIMessages()));

        Assert.Empty(records);
        Assert.Equal(
            [
                "field 'messages[2].content' must be a string, found Number",
                "field 'messages[0].content' is missing",
                "field 'messages[0].role' is missing",
                "field 'messages[0]' must be an object, found String",
                "field 'messages' must be an array, found Object",
                "field 'messages[0].role' must not be empty",
                "field 'messages' is missing",
            ],
            rejects.Select(r => r.Reason));
    }

    [Fact]
    public async Task Invalid_UTF8_is_rejected_with_the_byte_offset_and_a_lossy_original()
    {
        var good = Encoding.UTF8.GetBytes("{\"text\":\"fine\"}\n");
        var bad = Encoding.UTF8.GetBytes("{\"text\":\"bro").Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat(Encoding.UTF8.GetBytes("ken\"}\n")).ToArray();
        var path = _folder.WriteBytes("utf8.jsonl", [.. good, .. bad, .. good]);

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));

        Assert.Equal(2, records.Count);
        var reject = Assert.Single(rejects);
        Assert.Equal(2, reject.Line);
        Assert.Equal("invalid UTF-8 at byte 12", reject.Reason);
        Assert.Contains('\uFFFD', reject.Original);
        Assert.StartsWith("{\"text\":\"bro", reject.Original, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlong_lines_are_rejected_truncated_and_the_next_line_is_read()
    {
        var longText = new string('x', 300_000);
        var path = _folder.WriteText("long.jsonl", $"{{\"text\":\"short\"}}\n{{\"text\":\"{longText}\"}}\n{{\"text\":\"after\"}}\n");

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text(), maxRecordBytes: 1024));

        Assert.Equal(["short", "after"], records.Select(r => r.GetField("text")));
        Assert.Equal([1L, 3L], records.Select(r => r.Source!.Value.Line));
        var reject = Assert.Single(rejects);
        Assert.Equal(2, reject.Line);
        Assert.Equal("line is longer than the maximum of 1024 bytes", reject.Reason);
        Assert.True(reject.Original.Length < 5000, "the original of a huge line is truncated");
        Assert.Contains("truncated", reject.Original, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_longer_than_the_read_buffer_limit_is_skipped_to_its_end()
    {
        // 600 KB without a newline: more than the buffer limit for a 1 KB maximum, so the reader must skip it in pieces.
        var huge = new string('y', 600_000);
        var path = _folder.WriteText("huge.jsonl", $"{huge}\n{{\"text\":\"after\"}}");

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text(), maxRecordBytes: 1024));

        Assert.Equal("after", Assert.Single(records).GetField("text"));
        Assert.Equal(2, records[0].Source!.Value.Line);
        Assert.Equal(1, Assert.Single(rejects).Line);
    }

    [Fact]
    public async Task Lines_of_any_length_up_to_the_maximum_are_read_across_buffer_refills()
    {
        var texts = Enumerable.Range(0, 40).Select(i => new string((char)('a' + (i % 26)), 37_000 + (i * 1_013))).ToList();
        var path = _folder.WriteText("big.jsonl", string.Join('\n', texts.Select(t => $"{{\"text\":\"{t}\"}}")));

        var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Text()));

        Assert.Empty(rejects);
        Assert.Equal(texts, records.Select(r => r.GetField("text")));
    }

    [Fact]
    public async Task A_missing_file_is_a_DataFileException_naming_it()
    {
        var path = _folder.File("absent.jsonl");
        var source = DataSources.Jsonl(path, RecordSchema.Text());

        var read = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(source));
        var hash = await Assert.ThrowsAsync<DataFileException>(async () => await source.ComputeFingerprintAsync());

        Assert.Equal(path, read.FilePath);
        Assert.Contains(path, read.Message, StringComparison.Ordinal);
        Assert.Equal(path, hash.FilePath);
    }

    [Fact]
    public async Task A_json_array_document_is_a_DataFileException()
    {
        var path = _folder.WriteText("array.json", "[\n{\"text\":\"a\"},\n{\"text\":\"b\"}\n]\n");

        var error = await Assert.ThrowsAsync<DataFileException>(() => Read.AllAsync(DataSources.FromFile(path, RecordSchema.Text())));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("JSON array", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fingerprint_follows_content_schema_and_settings()
    {
        var path = _folder.WriteText("fp.jsonl", "{\"text\":\"a\"}\n");
        var same = await DataSources.Jsonl(path, RecordSchema.Text()).ComputeFingerprintAsync();

        Assert.Equal(same, await DataSources.Jsonl(path, RecordSchema.Text()).ComputeFingerprintAsync());
        Assert.Equal(64, same.Length);
        Assert.NotEqual(same, await DataSources.Jsonl(path, RecordSchema.Text().WithIdField("uid")).ComputeFingerprintAsync());
        Assert.NotEqual(same, await DataSources.Jsonl(path, RecordSchema.Text(), maxRecordBytes: 4096).ComputeFingerprintAsync());
        File.AppendAllText(path, "{\"text\":\"b\"}\n");
        Assert.NotEqual(same, await DataSources.Jsonl(path, RecordSchema.Text()).ComputeFingerprintAsync());
    }

    [Fact]
    public async Task Reading_can_be_cancelled()
    {
        var path = _folder.WriteText("cancel.jsonl", string.Concat(Enumerable.Repeat("{\"text\":\"a\"}\n", 100)));
        using var cancellation = new CancellationTokenSource();
        var source = DataSources.Jsonl(path, RecordSchema.Text());
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var record in source.ReadAsync(new DataStepContext(source.Id), cancellation.Token))
            {
                if (++read == 10)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.Equal(10, read);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new JsonlSource(string.Empty, RecordSchema.Text()));
        Assert.Throws<ArgumentNullException>(() => new JsonlSource("a.jsonl", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JsonlSource("a.jsonl", RecordSchema.Text(), 0));
        var source = new JsonlSource("a.jsonl", RecordSchema.Preference());
        Assert.Equal("read.jsonl", source.Id);
        Assert.Equal(RecordKind.Preference, source.Kind);
        Assert.Empty(source.Parents);
        Assert.Equal(16 * 1024 * 1024, source.MaxRecordBytes);
    }
}
