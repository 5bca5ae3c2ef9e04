using System.Text;
using CsCheck;

namespace Aigc.Data.Tests.Formats;

public sealed class FormatPropertyTests : IDisposable
{
    private static readonly Gen<string> Text = Gen.Frequency(
            (6, Gen.Int[0x20, 0x7E]),
            (2, Gen.Int[0x4E00, 0x9FFF]),
            (1, Gen.Int[0x1F300, 0x1FAFF]),
            (1, Gen.Int[0x00, 0x1F]),
            (1, Gen.OneOf(Gen.Const((int)'"'), Gen.Const((int)'\\'), Gen.Const((int)','), Gen.Const((int)'\n'), Gen.Const((int)'\r'))))
        .Array[0, 24]
        .Select(scalars =>
        {
            var builder = new StringBuilder();
            foreach (var scalar in scalars)
            {
                builder.Append(new Rune(scalar).ToString());
            }

            return builder.ToString();
        });

    private static readonly Gen<DataRecord> Alpaca = Gen.Select(Text, Text, Text, Gen.Int[0, 1_000_000], (instruction, input, output, id) =>
        DataRecord.CreateInstruction("id-" + id, instruction, input, output));

    private static readonly Gen<Line> ValidLine = Gen.Select(Alpaca, Gen.Bool, (record, withId) =>
    {
        var json = DataRecordJson.Serialize(record);
        if (!withId)
        {
            // Drop the id: the reader must then use <file name>:<line>.
            json = "{" + json[(json.IndexOf(',', StringComparison.Ordinal) + 1)..];
        }

        return new Line(Encoding.UTF8.GetBytes(json), record, withId);
    });

    private static readonly Gen<Line> GarbageLine = Gen.OneOf(
        Gen.Byte.Array[0, 60].Select(bytes => new Line(bytes.Where(b => b != (byte)'\n').ToArray(), null, false)),
        Gen.Select(ValidLine, Gen.Double[0, 0.999], (line, cut) => new Line(line.Bytes[..(int)(line.Bytes.Length * cut)], null, false)),
        Gen.Select(ValidLine, Gen.Double[0, 1], (line, at) =>
        {
            var position = (int)((line.Bytes.Length - 1) * at);
            return new Line([.. line.Bytes[..position], 0xFF, .. line.Bytes[position..]], null, false);
        }),
        Gen.OneOf(
            Gen.Const("{\"instruction\":1,\"output\":\"x\"}"),
            Gen.Const("{\"instruction\":\"x\"}"),
            Gen.Const("{\"instruction\":\"x\",\"output\":null}"),
            Gen.Const("[\"instruction\",\"output\"]"),
            Gen.Const("\"just a string\""),
            Gen.Const("{\"instruction\":\"x\",\"output\":\"y\",\"labels\":[1]}"),
            Gen.Const(" \t "),
            Gen.Const(string.Empty),
            Gen.Const("\r")).Select(text => new Line(Encoding.UTF8.GetBytes(text), null, false)));

    private static readonly Gen<Line[]> Lines = Gen.Frequency((3, ValidLine), (2, GarbageLine)).Array[0, 40];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Jsonl_counts_reconcile_and_valid_lines_round_trip_over_random_mixes()
    {
        await Gen.Select(Lines, Gen.Bool, Gen.Int[64, 400]).SampleAsync(
            async (lines, finalNewline, maxRecordBytes) =>
            {
                var name = Guid.NewGuid().ToString("N") + ".jsonl";
                var bytes = new List<byte>();
                for (var i = 0; i < lines.Length; i++)
                {
                    bytes.AddRange(lines[i].Bytes);
                    if (i < lines.Length - 1 || finalNewline)
                    {
                        bytes.Add((byte)'\n');
                    }
                }

                var path = _folder.WriteBytes(name, [.. bytes]);
                var (records, rejects) = await Read.AllAsync(DataSources.Jsonl(path, RecordSchema.Alpaca(), maxRecordBytes));

                var nonBlank = lines.Where((l, i) => !IsBlank(i == 0 && l.Bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? l.Bytes[3..] : l.Bytes)).Count();
                Assert.Equal(nonBlank, records.Count + rejects.Count);
                Assert.Equal(rejects.Count, rejects.Select(r => r.Line).Distinct().Count());

                var byLine = records.ToDictionary(r => r.Source!.Value.Line);
                for (var i = 0; i < lines.Length; i++)
                {
                    var line = lines[i];
                    if (line.Expected is null)
                    {
                        Assert.False(byLine.ContainsKey(i + 1), $"garbage line {i + 1} was read as a record");
                        continue;
                    }

                    if (line.Bytes.Length > maxRecordBytes)
                    {
                        Assert.Contains(rejects, r => r.Line == i + 1 && r.Reason.Contains("longer than", StringComparison.Ordinal));
                        continue;
                    }

                    var expected = line.Expected.Clone();
                    expected.Id = line.HasId ? expected.Id : name + ":" + (i + 1);
                    Assert.True(byLine.TryGetValue(i + 1, out var actual), $"valid line {i + 1} was not read");
                    RecordAssert.Equal(expected, actual);
                }

                File.Delete(path);
            },
            iter: 150,
            threads: 1);
    }

    [Fact]
    public async Task Csv_round_trips_random_records_with_quotes_delimiters_and_line_breaks()
    {
        await Gen.Select(Alpaca.Array[0, 30], Gen.OneOf(Gen.Const(','), Gen.Const(';'), Gen.Const('\t'))).SampleAsync(
            async (records, delimiter) =>
            {
                var path = _folder.File(Guid.NewGuid().ToString("N") + ".csv");
                await using (var writer = new CsvRecordWriter(path, RecordKind.Instruction, delimiter))
                {
                    foreach (var record in records)
                    {
                        await writer.WriteAsync(record);
                    }
                }

                var (read, rejects) = await Read.AllAsync(new CsvSource(path, RecordSchema.Alpaca(), delimiter));

                Assert.Empty(rejects);
                RecordAssert.Equal(records, read);
                File.Delete(path);
            },
            iter: 100,
            threads: 1);
    }

    [Fact]
    public async Task Parquet_round_trips_random_chat_records()
    {
        var chat = Gen.Select(Gen.OneOf(Gen.Const("system"), Gen.Const("user"), Gen.Const("assistant"), Gen.Const("tool")), Text).Array[0, 6];
        await Gen.Select(chat.Array[0, 20], Gen.Int[1, 7]).SampleAsync(
            async (conversations, rowGroupSize) =>
            {
                var records = conversations.Select((messages, i) => DataRecord.CreateChat("c" + i, messages)).ToList();
                var path = _folder.File(Guid.NewGuid().ToString("N") + ".parquet");
                await using (var writer = new ParquetRecordWriter(path, RecordKind.Chat, rowGroupSize))
                {
                    foreach (var record in records)
                    {
                        await writer.WriteAsync(record);
                    }
                }

                var (read, rejects) = await Read.AllAsync(DataSources.Parquet(path, RecordSchema.OpenAIMessages()));

                Assert.Empty(rejects);
                RecordAssert.Equal(records, read);
                File.Delete(path);
            },
            iter: 60,
            threads: 1);
    }

    private static bool IsBlank(byte[] line) => line.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r');

    private sealed record Line(byte[] Bytes, DataRecord? Expected, bool HasId);
}
