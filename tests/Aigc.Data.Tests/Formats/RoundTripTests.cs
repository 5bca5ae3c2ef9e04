namespace Aigc.Data.Tests.Formats;

public sealed class RoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<RecordKind, string> KindsAndFormats()
    {
        var data = new TheoryData<RecordKind, string>();
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            foreach (var extension in new[] { ".jsonl", ".csv", ".parquet" })
            {
                data.Add(kind, extension);
            }
        }

        return data;
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(KindsAndFormats))]
    public async Task Writing_then_reading_with_the_default_schema_gives_equal_records(RecordKind kind, string extension)
    {
        var path = _folder.File("data" + extension);
        var records = SampleRecords.For(kind);

        var written = await RecordFiles.WriteAsync(Read.Async(records), path, kind);
        var (read, rejects) = await Read.AllAsync(DataSources.FromFile(path, RecordSchema.ForKind(kind)));

        Assert.Equal(records.Count, written);
        Assert.Empty(rejects);
        RecordAssert.Equal(records, read);
        Assert.All(read, r => Assert.Equal(path, r.Source!.Value.File));
    }

    [Theory]
    [MemberData(nameof(KindsAndFormats))]
    public async Task An_empty_stream_writes_a_file_that_reads_back_empty(RecordKind kind, string extension)
    {
        var path = _folder.File("empty" + extension);

        var written = await RecordFiles.WriteAsync(Read.Async([]), path, kind);
        var (read, rejects) = await Read.AllAsync(DataSources.FromFile(path, RecordSchema.ForKind(kind)));

        Assert.Equal(0, written);
        Assert.Empty(read);
        Assert.Empty(rejects);
    }

    [Fact]
    public async Task Chat_records_without_messages_round_trip()
    {
        var records = new[] { DataRecord.CreateChat("empty"), DataRecord.CreateChat("one", ("user", "hi")) };
        foreach (var extension in new[] { ".jsonl", ".csv", ".parquet" })
        {
            var path = _folder.File("chat" + extension);
            await RecordFiles.WriteAsync(Read.Async(records), path, RecordKind.Chat);

            var (read, rejects) = await Read.AllAsync(DataSources.FromFile(path, RecordSchema.OpenAIMessages()));

            Assert.Empty(rejects);
            RecordAssert.Equal(records, read);
        }
    }

    [Fact]
    public async Task Large_files_round_trip_through_several_buffers_and_row_groups()
    {
        var records = Enumerable.Range(0, 8_000)
            .Select(i => DataRecord.CreateInstruction("r" + i, "Instruction " + i + " 指令", i % 3 == 0 ? string.Empty : "input, \"" + i + "\"", new string('o', i % 200) + "\n🚀"))
            .ToList();
        foreach (var extension in new[] { ".jsonl", ".csv", ".parquet" })
        {
            var path = _folder.File("large" + extension);
            await RecordFiles.WriteAsync(Read.Async(records), path, RecordKind.Instruction);

            var (read, rejects) = await Read.AllAsync(DataSources.FromFile(path, RecordSchema.Alpaca()));

            Assert.Empty(rejects);
            RecordAssert.Equal(records, read);
        }
    }
}
