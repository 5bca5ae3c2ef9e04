using System.Buffers.Binary;
using System.Text;
using Xunit.Abstractions;

namespace Aigc.Abstractions.Tests.SafeTensors;

/// <summary>
/// Mutation fuzzing: 10,000 seeded random mutations of a small valid file (bit flips, byte overwrites, JSON-aware
/// edits that keep the size field consistent, truncations, insertions, deletions, size-field edits including huge
/// values). Every read must either succeed with content that satisfies the format's invariants or fail with
/// <see cref="SafeTensorsFormatException"/>; no read may allocate more than a few times the file size.
/// </summary>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 10_000;

    private static readonly byte[] s_interesting = "\"{}[],:0123456789-.eE \\nul"u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0x80, 0xC3, 0xFF, 0x0A }).ToArray();

    private static readonly string[] s_tokens =
    [
        "F32", "F16", "BF16", "F64", "I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64", "BOOL", "F8_E4M3", "F8_E5M2", "F4", "X",
        "0", "1", "2", "3", "4", "8", "12", "16", "24", "-1", "1.0", "1e3", "99999999999999999999", "9223372036854775807",
        "18446744073709551615", "[]", "[0]", "[0,0]", "{}", "null", "\"\"", "\"shape\"", "\"dtype\"", "\"data_offsets\"",
        "\"__metadata__\"", ",", ":", "\"", "\\u0000", "\\ud800",
    ];

    [Fact]
    public void Ten_thousand_mutated_files_give_only_typed_exceptions_and_no_large_allocation()
    {
        var seed = BuildSeed();
        var random = new Random(20_240_611);
        ReadAndVerify(seed); // warm up: JIT and static state are not the reads' allocations
        ReadAndVerify(seed);

        var accepted = 0;
        long worstAllocated = 0, worstLength = 0;
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Iterations; i++)
        {
            var file = Mutate(seed, random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                ReadAndVerify(file);
                accepted++;
            }
            catch (SafeTensorsFormatException ex)
            {
                var rule = Classify(ex.Message);
                rules[rule] = rules.GetValueOrDefault(rule) + 1;
            }
            catch (Exception ex)
            {
                Assert.Fail($"Mutation {i} threw {ex.GetType().Name}, not SafeTensorsFormatException: {ex.Message}\nFile: {Convert.ToHexString(file)}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > worstAllocated)
            {
                (worstAllocated, worstLength) = (allocated, file.Length);
            }
            Assert.True(allocated <= (4L * file.Length) + (64 * 1024), $"Mutation {i} allocated {allocated} bytes for a {file.Length}-byte file.");
        }

        output.WriteLine($"accepted {accepted} of {Iterations}; the largest read allocated {worstAllocated} bytes for a {worstLength}-byte file");
        foreach (var (rule, count) in rules.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"{count,6}  {rule}");
        }

        Assert.InRange(accepted, 100, Iterations - 1000);
        Assert.True(rules.Count >= 15, $"only {rules.Count} distinct rules were hit: {string.Join(", ", rules.Keys)}");
    }

    private static byte[] BuildSeed()
    {
        var writer = new SafeTensorsWriter()
            .Add("h.0.attn.c_attn.weight", [2, 3], new[] { 1f, 2f, 3f, 4f, 5f, 6f })
            .Add("h.0.attn.c_attn.bias", [3], new[] { (Half)1, (Half)2, (Half)3 })
            .Add("h.0.mlp.bf16", SafeTensorsDType.BF16, [2], (ReadOnlyMemory<ushort>)new ushort[] { 0x3F80, 0x4000 })
            .Add("steps", [], new[] { 7L })
            .Add("mask", [4], new[] { true, false, true, true })
            .Add("ids", [2], new[] { -1, 5 })
            .Add("scale", SafeTensorsDType.F8E4M3, [2], (ReadOnlyMemory<byte>)new byte[] { 0x38, 0x40 })
            .Add("empty", [0, 4], Array.Empty<double>());
        writer.Metadata["step"] = "100";
        return SafeTensorsTestFiles.Write(writer);
    }

    /// <summary>Reads every tensor as bytes and as its element type, checking the format's invariants on success.</summary>
    private static void ReadAndVerify(byte[] file)
    {
        using var reader = SafeTensorsReader.Open(new MemoryStream(file, writable: false));
        var header = reader.Header;
        Assert.Equal(file.Length, header.FileLength);
        Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(file), (ulong)header.HeaderLength);
        long covered = 0;
        foreach (var info in header.Tensors)
        {
            Assert.Equal(covered, info.DataBegin);
            Assert.Equal(info.ElementCount * info.DType.GetElementSize(), info.ByteLength);
            covered = info.DataEnd;
            var bytes = reader.ReadTensor<byte>(info.Name);
            Assert.Equal(file.AsSpan((int)(header.DataStart + info.DataBegin), (int)info.ByteLength).ToArray(), bytes);
            ReadTyped(reader, info);
        }

        Assert.Equal(header.DataLength, covered);
    }

    private static void ReadTyped(SafeTensorsReader reader, SafeTensorInfo info)
    {
        var length = info.DType.GetElementType() switch
        {
            var t when t == typeof(float) => reader.ReadTensor<float>(info.Name).Length,
            var t when t == typeof(Half) => reader.ReadTensor<Half>(info.Name).Length,
            var t when t == typeof(double) => reader.ReadTensor<double>(info.Name).Length,
            var t when t == typeof(sbyte) => reader.ReadTensor<sbyte>(info.Name).Length,
            var t when t == typeof(short) => reader.ReadTensor<short>(info.Name).Length,
            var t when t == typeof(int) => reader.ReadTensor<int>(info.Name).Length,
            var t when t == typeof(long) => reader.ReadTensor<long>(info.Name).Length,
            var t when t == typeof(ushort) => reader.ReadTensor<ushort>(info.Name).Length,
            var t when t == typeof(uint) => reader.ReadTensor<uint>(info.Name).Length,
            var t when t == typeof(ulong) => reader.ReadTensor<ulong>(info.Name).Length,
            var t when t == typeof(bool) => reader.ReadTensor<bool>(info.Name).Length,
            _ => reader.ReadTensor<byte>(info.Name).Length / info.DType.GetElementSize(),
        };
        Assert.Equal(info.ElementCount, length);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var file = seed;
        var count = random.Next(1, 4);
        for (var m = 0; m < count; m++)
        {
            file = random.Next(12) switch
            {
                0 => FlipBit(file, random),
                1 => Overwrite(file, random, random.Next(file.Length), (byte)random.Next(256)),
                2 => OverwriteInHeader(file, random),
                3 => ReplaceInHeader(file, random, Encoding.UTF8.GetBytes(s_tokens[random.Next(s_tokens.Length)])),
                4 => ReplaceNumberInHeader(file, random),
                5 => file[..random.Next(file.Length)],
                6 => Insert(file, random.Next(file.Length + 1), RandomBytes(random, random.Next(1, 17))),
                7 => Delete(file, random),
                8 => SetHeaderLength(file, random),
                9 => Insert(file, file.Length, RandomBytes(random, random.Next(1, 9))),
                10 => DuplicateHeaderSlice(file, random),
                _ => Overwrite(file, random, random.Next(file.Length), s_interesting[random.Next(s_interesting.Length)]),
            };
            if (file.Length == 0)
            {
                break;
            }
        }

        return file;
    }

    private static byte[] FlipBit(byte[] file, Random random)
    {
        var copy = (byte[])file.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] Overwrite(byte[] file, Random random, int position, byte value)
    {
        _ = random;
        var copy = (byte[])file.Clone();
        copy[position] = value;
        return copy;
    }

    private static (int Start, int Length) HeaderRange(byte[] file)
    {
        if (file.Length < 8)
        {
            return (0, 0);
        }

        var n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (8, (int)Math.Min(n, (ulong)(file.Length - 8)));
    }

    private static byte[] OverwriteInHeader(byte[] file, Random random)
    {
        var (start, length) = HeaderRange(file);
        return length == 0 ? file : Overwrite(file, random, start + random.Next(length), s_interesting[random.Next(s_interesting.Length)]);
    }

    /// <summary>Replaces a short run of header bytes with a token and fixes the size field, so the edit reaches the JSON rules.</summary>
    private static byte[] ReplaceInHeader(byte[] file, Random random, byte[] token)
    {
        var (start, length) = HeaderRange(file);
        if (length == 0)
        {
            return file;
        }

        var at = start + random.Next(length);
        var remove = Math.Min(random.Next(0, 6), start + length - at);
        return Splice(file, at, remove, token, fixHeaderLength: true);
    }

    /// <summary>Replaces one number of the header (a dimension or an offset) with another, fixing the size field.</summary>
    private static byte[] ReplaceNumberInHeader(byte[] file, Random random)
    {
        var (start, length) = HeaderRange(file);
        var digits = new List<int>();
        for (var i = start; i < start + length; i++)
        {
            if (file[i] is >= (byte)'0' and <= (byte)'9' && (i == start || file[i - 1] is (byte)'[' or (byte)','))
            {
                digits.Add(i);
            }
        }

        if (digits.Count == 0)
        {
            return file;
        }

        var at = digits[random.Next(digits.Count)];
        var end = at;
        while (end < start + length && file[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        var value = random.Next(4) switch
        {
            0 => random.Next(0, 64).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => (long.Parse(Encoding.ASCII.GetString(file, at, end - at), System.Globalization.CultureInfo.InvariantCulture) + random.Next(-4, 5)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            2 => random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "0",
        };
        return Splice(file, at, end - at, Encoding.ASCII.GetBytes(value), fixHeaderLength: true);
    }

    private static byte[] DuplicateHeaderSlice(byte[] file, Random random)
    {
        var (start, length) = HeaderRange(file);
        if (length < 2)
        {
            return file;
        }

        var from = start + random.Next(length);
        var size = Math.Min(random.Next(1, 80), start + length - from);
        return Splice(file, start + random.Next(length), 0, file[from..(from + size)], fixHeaderLength: true);
    }

    private static byte[] Splice(byte[] file, int at, int remove, byte[] insert, bool fixHeaderLength)
    {
        var result = new byte[file.Length - remove + insert.Length];
        file.AsSpan(0, at).CopyTo(result);
        insert.CopyTo(result.AsSpan(at));
        file.AsSpan(at + remove).CopyTo(result.AsSpan(at + insert.Length));
        if (fixHeaderLength && result.Length >= 8)
        {
            var n = BinaryPrimitives.ReadUInt64LittleEndian(file);
            BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)((long)n + insert.Length - remove));
        }

        return result;
    }

    private static byte[] Insert(byte[] file, int at, byte[] bytes) => Splice(file, at, 0, bytes, fixHeaderLength: false);

    private static byte[] Delete(byte[] file, Random random)
    {
        var at = random.Next(file.Length);
        return Splice(file, at, Math.Min(random.Next(1, 17), file.Length - at), [], fixHeaderLength: false);
    }

    private static byte[] SetHeaderLength(byte[] file, Random random)
    {
        if (file.Length < 8)
        {
            return file;
        }

        var n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        ulong value = random.Next(12) switch
        {
            0 => 0,
            1 => n - 1,
            2 => n + 1,
            3 => (ulong)(file.Length - 8),
            4 => (ulong)(file.Length - 7),
            5 => 99_999_999,
            6 => 100_000_000,
            7 => 100_000_001,
            8 => long.MaxValue,
            9 => ulong.MaxValue,
            10 => (ulong)random.NextInt64(),
            _ => (ulong)random.Next(0, file.Length),
        };
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, value);
        return copy;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Classify(string message)
    {
        string[] rules =
        [
            "shorter than the 8-byte", "more than the format's limit", "bytes follow it in the file", "the header is empty",
            "starting with '{' but starts", "not valid UTF-8", "not valid JSON", "ends inside the JSON object", "only spaces (0x20)",
            "the entry must be an object", "unknown dtype", "sub-byte type", "'dtype' must be a string", "the entry has no",
            "twice", "unknown field", "must be a non-negative integer", "larger than 2^63", "more bytes than a 64-bit",
            "'shape' must be an array", "data_offsets' must be an array", "end before they begin", "span", "hole of", "overlap", "end past the data buffer",
            "the tensors cover", "'__metadata__' must be", "'__metadata__' value", "not valid text", "BOOL element", "ended",
        ];
        foreach (var rule in rules)
        {
            if (message.Contains(rule, StringComparison.Ordinal))
            {
                return rule;
            }
        }

        return message;
    }
}
