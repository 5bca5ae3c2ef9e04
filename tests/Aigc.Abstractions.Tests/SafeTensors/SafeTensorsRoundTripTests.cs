using System.Runtime.InteropServices;

namespace Aigc.Abstractions.Tests.SafeTensors;

public sealed class SafeTensorsRoundTripTests
{
    [Fact]
    public void Every_dtype_with_empty_and_scalar_tensors_and_metadata_round_trips()
    {
        var floats = new[] { 1.5f, -2.25f, float.NaN, float.PositiveInfinity, 0f, -0f };
        var halves = new[] { (Half)1.5, (Half)(-3), Half.MaxValue, Half.Epsilon };
        var bf16 = new ushort[] { 0x3F80, 0xC000, 0x7F80 };
        var doubles = new[] { Math.PI, -1e300, double.Epsilon };
        var int8 = new sbyte[] { -128, -1, 0, 127 };
        var int16 = new short[] { short.MinValue, -2, 3, short.MaxValue };
        var int32 = new[] { int.MinValue, -5, 6, int.MaxValue };
        var int64 = new[] { long.MinValue, -7, 8, long.MaxValue };
        var uint8 = new byte[] { 0, 1, 200, 255 };
        var uint16 = new ushort[] { 0, 65535, 1234 };
        var uint32 = new uint[] { 0, uint.MaxValue, 99 };
        var uint64 = new ulong[] { 0, ulong.MaxValue, 42 };
        var bools = new[] { true, false, true, true };
        var e4m3 = new byte[] { 0x38, 0xB8, 0x7E };
        var e5m2 = new byte[] { 0x3C, 0xBC };
        var e8m0 = new byte[] { 0x7F, 0x80, 0x01 };
        var c64 = MemoryMarshal.AsBytes(new[] { 1f, 2f, -3f, 4f }.AsSpan()).ToArray();

        var writer = new SafeTensorsWriter()
            .Add("f32", [2, 3], floats)
            .Add("f16", [4], halves)
            .Add("bf16", SafeTensorsDType.BF16, [3], (ReadOnlyMemory<ushort>)bf16)
            .Add("f64", [3, 1], doubles)
            .Add("i8", [2, 2], int8)
            .Add("i16", [4], int16)
            .Add("i32", [1, 4], int32)
            .Add("i64", [4], int64)
            .Add("u8", [4], uint8)
            .Add("u16", [3], uint16)
            .Add("u32", [3], uint32)
            .Add("u64", [3], uint64)
            .Add("bool", [2, 2], bools)
            .Add("f8e4m3", SafeTensorsDType.F8E4M3, [3], (ReadOnlyMemory<byte>)e4m3)
            .Add("f8e5m2", SafeTensorsDType.F8E5M2, [2], (ReadOnlyMemory<byte>)e5m2)
            .Add("f8e8m0", SafeTensorsDType.F8E8M0, [3], (ReadOnlyMemory<byte>)e8m0)
            .Add("c64", SafeTensorsDType.C64, [2], (ReadOnlyMemory<byte>)c64)
            .Add("empty", [0, 3], Array.Empty<float>())
            .Add("empty.i64", [5, 0], Array.Empty<long>())
            .Add("scalar", [], new[] { 42 });
        writer.Metadata["epoch"] = "3";
        writer.Metadata["note"] = "ünïcode \"quoted\" \\ tab\t";

        using var reader = SafeTensorsTestFiles.Open(SafeTensorsTestFiles.Write(writer));

        Assert.Equal(20, reader.Header.Tensors.Count);
        Assert.Equal(floats, reader.ReadTensor<float>("f32"));
        Assert.Equal(halves, reader.ReadTensor<Half>("f16"));
        Assert.Equal(bf16, reader.ReadTensor<ushort>("bf16"));
        Assert.Equal(doubles, reader.ReadTensor<double>("f64"));
        Assert.Equal(int8, reader.ReadTensor<sbyte>("i8"));
        Assert.Equal(int16, reader.ReadTensor<short>("i16"));
        Assert.Equal(int32, reader.ReadTensor<int>("i32"));
        Assert.Equal(int64, reader.ReadTensor<long>("i64"));
        Assert.Equal(uint8, reader.ReadTensor<byte>("u8"));
        Assert.Equal(uint16, reader.ReadTensor<ushort>("u16"));
        Assert.Equal(uint32, reader.ReadTensor<uint>("u32"));
        Assert.Equal(uint64, reader.ReadTensor<ulong>("u64"));
        Assert.Equal(bools, reader.ReadTensor<bool>("bool"));
        Assert.Equal(e4m3, reader.ReadTensor<byte>("f8e4m3"));
        Assert.Equal(e5m2, reader.ReadTensor<byte>("f8e5m2"));
        Assert.Equal(e8m0, reader.ReadTensor<byte>("f8e8m0"));
        Assert.Equal(c64, reader.ReadTensor<byte>("c64"));
        Assert.Empty(reader.ReadTensor<float>("empty"));
        Assert.Empty(reader.ReadTensor<long>("empty.i64"));
        Assert.Equal([42], reader.ReadTensor<int>("scalar"));

        var expected = new (string Name, SafeTensorsDType DType, long[] Shape)[]
        {
            ("f32", SafeTensorsDType.F32, [2, 3]), ("f16", SafeTensorsDType.F16, [4]), ("bf16", SafeTensorsDType.BF16, [3]),
            ("f64", SafeTensorsDType.F64, [3, 1]), ("i8", SafeTensorsDType.I8, [2, 2]), ("i16", SafeTensorsDType.I16, [4]),
            ("i32", SafeTensorsDType.I32, [1, 4]), ("i64", SafeTensorsDType.I64, [4]), ("u8", SafeTensorsDType.U8, [4]),
            ("u16", SafeTensorsDType.U16, [3]), ("u32", SafeTensorsDType.U32, [3]), ("u64", SafeTensorsDType.U64, [3]),
            ("bool", SafeTensorsDType.Bool, [2, 2]), ("f8e4m3", SafeTensorsDType.F8E4M3, [3]), ("f8e5m2", SafeTensorsDType.F8E5M2, [2]),
            ("f8e8m0", SafeTensorsDType.F8E8M0, [3]), ("c64", SafeTensorsDType.C64, [2]), ("empty", SafeTensorsDType.F32, [0, 3]),
            ("empty.i64", SafeTensorsDType.I64, [5, 0]), ("scalar", SafeTensorsDType.I32, []),
        };
        foreach (var (name, dtype, shape) in expected)
        {
            var info = reader.Header[name];
            Assert.Equal(dtype, info.DType);
            Assert.Equal(shape, info.Shape.ToArray());
            Assert.Equal(info.ElementCount * dtype.GetElementSize(), info.ByteLength);
        }

        Assert.Equal(0, reader.Header["empty"].ByteLength);
        Assert.Equal(1, reader.Header["scalar"].ElementCount);
        Assert.Equal(3, reader.Header.Metadata.Count);
        Assert.Equal("pt", reader.Header.Metadata["format"]);
        Assert.Equal("3", reader.Header.Metadata["epoch"]);
        Assert.Equal("ünïcode \"quoted\" \\ tab\t", reader.Header.Metadata["note"]);
    }

    [Fact]
    public void Raw_bytes_of_any_dtype_are_the_little_endian_elements()
    {
        var values = new[] { 1f, -2f, 3.5f };
        using var reader = SafeTensorsTestFiles.Open(SafeTensorsTestFiles.Write(new SafeTensorsWriter().Add("w", [3], values)));

        var bytes = new byte[12];
        reader.ReadTensorBytes("w", bytes);

        Assert.Equal(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), bytes);
        Assert.Equal(bytes, reader.ReadTensor<byte>("w"));
        Assert.Equal([0x00, 0x00, 0x80, 0x3F], bytes[..4]);
    }

    [Fact]
    public async Task File_round_trip_async_replaces_the_target_and_leaves_no_temporary_file()
    {
        var dir = Directory.CreateTempSubdirectory("aigc-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "adapter_model.safetensors");
            await File.WriteAllTextAsync(path, "old content");
            var a = Enumerable.Range(0, 3000).Select(i => i * 0.5f).ToArray();
            var b = Enumerable.Range(0, 700).Select(i => (long)i * i).ToArray();
            var writer = new SafeTensorsWriter().Add("a", [30, 100], a).Add("b", [700], b);

            await writer.WriteToFileAsync(path);

            Assert.Equal([path], Directory.GetFiles(dir.FullName));
            Assert.Equal(writer.GetFileLength(), new FileInfo(path).Length);
            using var reader = await SafeTensorsReader.OpenAsync(path);
            Assert.Equal(path, reader.FilePath);
            Assert.Equal(a, await reader.ReadTensorAsync<float>("a"));
            Assert.Equal(b, await reader.ReadTensorAsync<long>("b"));
            var raw = new byte[reader.Header["a"].ByteLength];
            await reader.ReadTensorBytesAsync("a", raw);
            Assert.Equal(MemoryMarshal.AsBytes(a.AsSpan()).ToArray(), raw);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Sync_file_round_trip_and_stream_write_give_identical_bytes()
    {
        var dir = Directory.CreateTempSubdirectory("aigc-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.safetensors");
            var writer = new SafeTensorsWriter().Add("x", [2, 2], new[] { (Half)1, (Half)2, (Half)3, (Half)4 });
            writer.WriteToFile(path);

            Assert.Equal(SafeTensorsTestFiles.Write(writer), File.ReadAllBytes(path));
            using var reader = SafeTensorsReader.Open(path);
            Assert.Equal([(Half)1, (Half)2, (Half)3, (Half)4], reader.ReadTensor<Half>("x"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Async_stream_write_matches_the_sync_write_for_typed_data_larger_than_the_copy_buffer()
    {
        var big = Enumerable.Range(0, 600_000).Select(i => (float)Math.Sin(i)).ToArray(); // 2.4 MB: several 1 MiB chunks
        var writer = new SafeTensorsWriter().Add("big", [600, 1000], big).Add("small", [2], new[] { 1, 2 });
        using var stream = new MemoryStream();

        await writer.WriteToAsync(stream);

        Assert.Equal(SafeTensorsTestFiles.Write(writer), stream.ToArray());
        stream.Position = 0;
        using var reader = SafeTensorsReader.Open(stream);
        Assert.Equal(big, await reader.ReadTensorAsync<float>("big"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(21)]
    public void Header_is_space_padded_so_the_data_starts_8_byte_aligned(int nameLength)
    {
        var writer = new SafeTensorsWriter().Add(new string('n', nameLength), [1], new[] { 1.0 });
        var file = SafeTensorsTestFiles.Write(writer);
        var text = SafeTensorsTestFiles.HeaderText(file);

        using var reader = SafeTensorsTestFiles.Open(file);
        Assert.Equal(0, reader.Header.DataStart % 8);
        Assert.Equal(0, reader.Header.HeaderLength % 8);
        Assert.EndsWith("}", text.TrimEnd(' '));
        Assert.True(text.Length - text.TrimEnd(' ').Length < 8);
        Assert.Equal(file.Length, reader.Header.FileLength);
        Assert.Equal(8, reader.Header.DataLength);
    }

    [Fact]
    public void Tensors_are_listed_in_data_order_and_lookups_work()
    {
        var file = SafeTensorsTestFiles.Build(
            """{"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]},"a":{"dtype":"I16","shape":[2],"data_offsets":[0,4]},"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}""",
            6);
        using var reader = SafeTensorsTestFiles.Open(file);

        Assert.Equal(["a", "z", "b"], reader.Header.Tensors.Select(t => t.Name));
        Assert.True(reader.Header.Contains("z"));
        Assert.False(reader.Header.Contains("y"));
        Assert.False(reader.Header.TryGetTensor("y", out _));
        Assert.Equal("b: U8 [2] at [4, 6]", reader.Header["b"].ToString());
        Assert.Empty(reader.Header.Metadata);
        Assert.Equal(SafeTensorsTestFiles.Pattern(6)[4..], reader.ReadTensor<byte>("b"));
    }

    [Fact]
    public void Tensor_stream_reads_and_seeks_within_the_tensor_only()
    {
        var values = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var writer = new SafeTensorsWriter().Add("first", [4], new[] { 9L, 9, 9, 9 }).Add("bytes", [64], values);
        using var reader = SafeTensorsTestFiles.Open(SafeTensorsTestFiles.Write(writer));

        using var stream = reader.OpenTensorStream("bytes");
        Assert.Equal(64, stream.Length);
        Assert.True(stream.CanSeek);
        Assert.False(stream.CanWrite);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(values, copy.ToArray());
        stream.Seek(-10, SeekOrigin.End);
        var tail = new byte[32];
        Assert.Equal(10, stream.Read(tail));
        Assert.Equal(values[54..], tail[..10]);
        Assert.Equal(0, stream.Read(tail));
    }

    [Fact]
    public void Content_can_start_inside_a_larger_stream()
    {
        var file = SafeTensorsTestFiles.Write(new SafeTensorsWriter().Add("x", [3], new[] { 1, 2, 3 }));
        var stream = new MemoryStream();
        stream.Write("PREFIX"u8);
        stream.Write(file);
        stream.Position = 6;

        using var reader = SafeTensorsReader.Open(stream, leaveOpen: true);

        Assert.Equal([1, 2, 3], reader.ReadTensor<int>("x"));
        reader.Dispose();
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void Disposing_the_reader_closes_the_stream_unless_left_open()
    {
        var file = SafeTensorsTestFiles.Write(new SafeTensorsWriter());
        var stream = new MemoryStream(file);
        var reader = SafeTensorsReader.Open(stream);

        reader.Dispose();

        Assert.False(stream.CanRead);
        Assert.Throws<ObjectDisposedException>(() => reader.ReadTensor<float>("x"));
    }

    [Fact]
    public void GetFileLength_matches_the_written_length()
    {
        var writer = new SafeTensorsWriter().Add("a", [3, 3], new float[9]).Add("b", [1], new[] { true });
        Assert.Equal(SafeTensorsTestFiles.Write(writer).Length, writer.GetFileLength());
        Assert.Equal(2, writer.Count);
    }
}
