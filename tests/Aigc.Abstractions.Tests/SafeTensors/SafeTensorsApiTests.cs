namespace Aigc.Abstractions.Tests.SafeTensors;

/// <summary>Argument checks and misuse at the public edge of the writer and the reader.</summary>
public sealed class SafeTensorsApiTests
{
    [Fact]
    public void Writer_rejects_duplicate_reserved_and_invalid_names()
    {
        var writer = new SafeTensorsWriter().Add("w", [1], new[] { 1f });

        var duplicate = Assert.Throws<ArgumentException>(() => writer.Add("w", [1], new[] { 2f }));
        var reserved = Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", [1], new[] { 2f }));
        var surrogate = Assert.Throws<ArgumentException>(() => writer.Add("bad\ud800", [1], new[] { 2f }));
        Assert.Throws<ArgumentNullException>(() => writer.Add(null!, [1], new[] { 2f }));
        Assert.Throws<ArgumentNullException>(() => writer.Add("x", [1], (float[])null!));

        Assert.Equal("name", duplicate.ParamName);
        Assert.Contains("'w' was already added", duplicate.Message);
        Assert.Equal("name", reserved.ParamName);
        Assert.Equal("name", surrogate.ParamName);
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void Writer_rejects_shapes_that_do_not_match_the_data()
    {
        var writer = new SafeTensorsWriter();

        var mismatch = Assert.Throws<ArgumentException>(() => writer.Add("w", [2, 3], new float[5]));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add("w", [-1], new float[0]));
        var overflow = Assert.Throws<ArgumentException>(() => writer.Add("w", [1L << 40, 1L << 40], new float[0]));
        var rawMismatch = Assert.Throws<ArgumentException>(() => writer.Add("w", SafeTensorsDType.F32, [2], (ReadOnlyMemory<byte>)new byte[7]));

        Assert.Equal("Tensor 'w': shape [2, 3] of F32 needs 24 bytes but the data has 20. (Parameter 'data')", mismatch.Message);
        Assert.Equal("shape", negative.ParamName);
        Assert.Equal("shape", overflow.ParamName);
        Assert.Equal("data", rawMismatch.ParamName);
        Assert.Equal(0, writer.Count);
    }

    [Fact]
    public void Writer_rejects_element_types_that_do_not_match_the_dtype()
    {
        var writer = new SafeTensorsWriter();

        var wrong = Assert.Throws<ArgumentException>(() => writer.Add("w", SafeTensorsDType.F16, [2], (ReadOnlyMemory<float>)new float[2]));
        var none = Assert.Throws<ArgumentException>(() => writer.Add("w", [1], new decimal[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add("w", (SafeTensorsDType)99, [1], (ReadOnlyMemory<byte>)new byte[1]));

        Assert.Equal("Single data cannot be written as F16; pass Half elements or raw bytes. (Parameter 'data')", wrong.Message);
        Assert.Contains("Decimal has no safetensors dtype", none.Message);
        writer.Add("bf", SafeTensorsDType.BF16, [2], (ReadOnlyMemory<ushort>)new ushort[2]);
        writer.Add("raw", SafeTensorsDType.F64, [1], (ReadOnlyMemory<byte>)new byte[8]);
        Assert.Throws<ArgumentException>(() => writer.Add("i16", SafeTensorsDType.F16, [1], (ReadOnlyMemory<short>)new short[1]));
        Assert.Equal(2, writer.Count);
    }

    [Fact]
    public void Bf16_bit_patterns_round_trip_as_short_or_ushort()
    {
        short[] bits = [0x3F80, unchecked((short)0xC000), 0x7F80];
        var writer = new SafeTensorsWriter().Add("bf", SafeTensorsDType.BF16, [3], (ReadOnlyMemory<short>)bits);
        using var reader = SafeTensorsTestFiles.Open(SafeTensorsTestFiles.Write(writer));

        Assert.Equal(bits, reader.ReadTensor<short>("bf"));
        Assert.Equal([(ushort)0x3F80, (ushort)0xC000, (ushort)0x7F80], reader.ReadTensor<ushort>("bf"));
        Assert.Equal(-2f, BitConverter.Int32BitsToSingle(reader.ReadTensor<ushort>("bf")[1] << 16));
        Assert.Throws<InvalidCastException>(() => reader.ReadTensor<Half>("bf"));
    }

    [Fact]
    public void Writer_without_metadata_writes_no_metadata_key_and_null_values_are_refused()
    {
        var writer = new SafeTensorsWriter().Add("w", [1], new[] { 1 });
        Assert.Equal("pt", writer.Metadata["format"]);
        writer.Metadata.Clear();
        Assert.DoesNotContain("__metadata__", SafeTensorsTestFiles.HeaderText(SafeTensorsTestFiles.Write(writer)));

        writer.Metadata["bad"] = null!;
        Assert.Throws<InvalidOperationException>(() => SafeTensorsTestFiles.Write(writer));
        Assert.Throws<ArgumentException>(() => writer.WriteTo(new MemoryStream([], writable: false)));
    }

    [Fact]
    public void Reader_checks_the_element_type_the_name_and_the_destination()
    {
        using var reader = SafeTensorsTestFiles.Open(SafeTensorsTestFiles.Write(new SafeTensorsWriter().Add("w", [2], new[] { 1f, 2f })));

        var cast = Assert.Throws<InvalidCastException>(() => reader.ReadTensor<int>("w"));
        var missing = Assert.Throws<KeyNotFoundException>(() => reader.ReadTensor<float>("v"));
        var size = Assert.Throws<ArgumentException>(() => reader.ReadTensorBytes("w", new byte[7]));
        Assert.Throws<ArgumentNullException>(() => reader.ReadTensor<float>(null!));
        Assert.Throws<KeyNotFoundException>(() => reader.Header["v"]);

        Assert.Equal("Tensor 'w' is F32; read it as Single (or as raw bytes), not as Int32.", cast.Message);
        Assert.Equal("The safetensors stream has no tensor named 'v'; it has 1 tensors (see Header.Tensors).", missing.Message);
        Assert.Equal("destination", size.ParamName);
        Assert.Equal(8, reader.ReadTensor<byte>("w").Length);
    }

    [Fact]
    public void Reader_needs_a_readable_seekable_stream_and_an_existing_file()
    {
        var file = SafeTensorsTestFiles.Write(new SafeTensorsWriter());
        Assert.Throws<ArgumentException>(() => SafeTensorsReader.Open(new NonSeekableStream(file)));
        Assert.Throws<ArgumentNullException>(() => SafeTensorsReader.Open((Stream)null!));
        Assert.Throws<ArgumentException>(() => SafeTensorsReader.Open(""));
        Assert.Throws<FileNotFoundException>(() => SafeTensorsReader.Open(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".safetensors")));
    }

    [Fact]
    public async Task Cancelled_file_write_leaves_neither_target_nor_temporary_file()
    {
        var dir = Directory.CreateTempSubdirectory("aigc-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.safetensors");
            var writer = new SafeTensorsWriter().Add("w", [1000], new float[1000]);
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteToFileAsync(path, cancelled.Token));

            Assert.Empty(Directory.GetFiles(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
