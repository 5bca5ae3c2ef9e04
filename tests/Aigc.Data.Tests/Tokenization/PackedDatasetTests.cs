using System.Buffers.Binary;
using static Aigc.Data.Tests.Tokenization.TokenizationTestData;

namespace Aigc.Data.Tests.Tokenization;

public sealed class PackedDatasetTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aigc-tokenize-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static void AssertSame(PackedSequence expected, PackedSequence actual)
    {
        Assert.Equal(expected.InputIds.ToArray(), actual.InputIds.ToArray());
        Assert.Equal(expected.Labels.ToArray(), actual.Labels.ToArray());
        Assert.Equal(expected.PositionIds.ToArray(), actual.PositionIds.ToArray());
        Assert.Equal(expected.SegmentIds.ToArray(), actual.SegmentIds.ToArray());
    }

    [Fact]
    public async Task Packed_file_round_trips_in_order_and_by_index()
    {
        var tokenizer = RecordTokenizer.CreateGpt2(ChatTemplate.Alpaca);
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 64 });
        var records = MixedRecords(40);
        var path = Path.Combine(_directory, "train.tokens");

        var expected = await TokenizeAndPack.PackAsync(records.ToAsyncEnumerable(), tokenizer, packer).ToListAsync();
        var info = await TokenizeAndPack.WriteAsync(records.ToAsyncEnumerable(), tokenizer, packer, path, sourceFingerprint: "abc");
        using var reader = await PackedDatasetReader.OpenAsync(path);

        Assert.Equal(expected.Count, reader.Count);
        Assert.Equal(expected.Count, info.SequenceCount);
        Assert.Equal(64, reader.SequenceLength);
        Assert.Equal(50257, reader.VocabularySize);
        Assert.True(reader.ResetPositionIds);
        var actual = await reader.ReadAllAsync().ToListAsync();
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], actual[i]);
        }

        AssertSame(expected[^1], await reader.ReadAsync(expected.Count - 1));
        AssertSame(expected[2], await reader.ReadAsync(2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reader.ReadAsync(expected.Count));
    }

    [Fact]
    public async Task File_has_the_documented_header_and_size()
    {
        var path = Path.Combine(_directory, "small.tokens");
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 8 });

        var info = await TokenizeAndPack.WriteAsync(new[] { DataRecord.CreateText("t", "Hello world") }.ToAsyncEnumerable(), RecordTokenizer.CreateGpt2(), packer, path);

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal("AIGCTOKS"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(50257, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(64 + (8 * 4 * 4), bytes.Length);
        Assert.Equal(15496, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(64)));
        Assert.Equal(995, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(68)));
        Assert.Equal(1, info.SequenceCount);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task Sidecar_records_tokenizer_template_statistics_and_fingerprint()
    {
        var path = Path.Combine(_directory, "chat.tokens");
        var tokenizer = RecordTokenizer.CreateGpt2(ChatTemplate.Plain);
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 32 });
        var context = new DataStepContext(TokenizeAndPack.StepId);
        var records = MixedRecords(12).Append(DataRecord.CreateChat("no-answer", ("user", "?"))).ToArray();

        var written = await TokenizeAndPack.WriteAsync(records.ToAsyncEnumerable(), tokenizer, packer, path, "source-fp", context);
        using var reader = await PackedDatasetReader.OpenAsync(path);
        var info = reader.Info!;

        Assert.Equal("gpt2", info.Tokenizer);
        Assert.Equal(50256, info.EosTokenId);
        Assert.Equal(ChatTemplate.Plain, info.GetTemplate());
        Assert.Equal("32", info.Packing["sequence_length"]);
        Assert.Equal("gpt2", info.Tokenization["tokenizer"]);
        Assert.Equal("source-fp", info.SourceFingerprint);
        Assert.Equal(TokenizeAndPack.ComputeFingerprint("source-fp", tokenizer, packer), info.Fingerprint);
        Assert.NotEqual(info.Fingerprint, TokenizeAndPack.ComputeFingerprint("source-fp", RecordTokenizer.CreateGpt2(ChatTemplate.ChatML), packer));
        Assert.Equal(written.Statistics!.Efficiency, info.Statistics!.Efficiency, 12);
        Assert.Equal(12, info.Statistics.Records);
        Assert.Equal(1, info.Statistics.RecordsRejected);
        Assert.Equal("no-answer", Assert.Single(context.Rejects).RecordId);
        Assert.True(context.Reports.ContainsKey("packing"));
        Assert.Equal(info.Statistics.Tokens, info.Statistics.ExampleTokens);
    }

    [Fact]
    public async Task Oversized_drops_are_rejected_through_the_context()
    {
        var context = new DataStepContext(TokenizeAndPack.StepId);
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 4, OversizedExamples = OversizedExampleHandling.Drop });
        var statistics = new PackingStatistics();

        var sequences = await TokenizeAndPack.PackAsync(
            new[] { DataRecord.CreateText("short", "Hi"), DataRecord.CreateText("long", "This sentence is far too long for four tokens.") }.ToAsyncEnumerable(),
            RecordTokenizer.CreateGpt2(),
            packer,
            context,
            statistics).ToListAsync();

        Assert.Single(sequences);
        Assert.Equal("long", Assert.Single(context.Rejects).RecordId);
        Assert.Contains("sequence length 4", context.Rejects.Single().Reason, StringComparison.Ordinal);
        Assert.Equal(1, statistics.ExamplesDropped);
    }

    [Fact]
    public async Task Truncated_or_foreign_files_are_refused_with_the_path()
    {
        var path = Path.Combine(_directory, "cut.tokens");
        await TokenizeAndPack.WriteAsync(MixedRecords(8).ToAsyncEnumerable(), RecordTokenizer.CreateGpt2(), new SequencePacker(new SequencePackerOptions { SequenceLength = 16 }), path);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..^4]);
        var foreign = Path.Combine(_directory, "foreign.tokens");
        await File.WriteAllTextAsync(foreign, "this is not a tokens file at all, just some text that is long enough to have a header");

        var cut = await Assert.ThrowsAsync<DataFileException>(() => PackedDatasetReader.OpenAsync(path));
        var notOurs = await Assert.ThrowsAsync<DataFileException>(() => PackedDatasetReader.OpenAsync(foreign));

        Assert.Contains("truncated", cut.Message, StringComparison.Ordinal);
        Assert.Equal(path, cut.FilePath);
        Assert.Contains("AIGCTOKS", notOurs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unfinished_writer_leaves_no_file()
    {
        var path = Path.Combine(_directory, "unfinished.tokens");
        var sequence = new SequencePacker(new SequencePackerOptions { SequenceLength = 4, PadTokenId = 0 }).Pack([Example("a", 2, 1)]).Single();

        await using (var writer = PackedDatasetWriter.Create(path, 4, vocabularySize: 100, padTokenId: 0))
        {
            await writer.WriteAsync(sequence);
            Assert.Equal(1, writer.Count);
        }

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task Writer_refuses_sequences_that_do_not_fit_the_file()
    {
        var path = Path.Combine(_directory, "strict.tokens");
        await using var writer = PackedDatasetWriter.Create(path, 4, vocabularySize: 100, padTokenId: 0);

        var tooLong = new SequencePacker(new SequencePackerOptions { SequenceLength = 5, PadTokenId = 0 }).Pack([Example("a", 2, 1)]).Single();
        var outsideVocabulary = new PackedSequence(new[] { 1, 2, 300, 0 }, new[] { 1, 2, 300, -100 }, new[] { 0, 1, 2, 0 }, new[] { 1, 1, 1, 0 });

        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(tooLong));
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(outsideVocabulary));
        Assert.Contains("300", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, writer.Count);
    }

    [Fact]
    public async Task A_run_that_packs_nothing_writes_an_empty_readable_file()
    {
        var path = Path.Combine(_directory, "empty.tokens");
        var packer = new SequencePacker(new SequencePackerOptions { SequenceLength = 16, ResetPositionIds = false });

        var info = await TokenizeAndPack.WriteAsync(new[] { DataRecord.CreateChat("x", ("user", "?")) }.ToAsyncEnumerable(), RecordTokenizer.CreateGpt2(), packer, path);
        using var reader = await PackedDatasetReader.OpenAsync(path);

        Assert.Equal(0, info.SequenceCount);
        Assert.Equal(0, reader.Count);
        Assert.False(reader.ResetPositionIds);
        Assert.Empty(await reader.ReadAllAsync().ToListAsync());
        Assert.Equal(64, new FileInfo(path).Length);
    }
}
