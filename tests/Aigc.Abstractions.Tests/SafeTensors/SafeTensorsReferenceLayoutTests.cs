using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Aigc.Abstractions.Tests.SafeTensors;

/// <summary>
/// Byte-exact layout against the format rules and the reference implementation (huggingface/safetensors, whose
/// Python <c>save_file</c> calls the Rust serializer): compact serde_json header, <c>__metadata__</c> first, tensors
/// sorted by dtype alignment (largest first) then by name, spaces padding the JSON to a multiple of 8. The header
/// lengths 64, 72, 8 and 40 are those the reference implementation's own tests assert for these inputs.
/// </summary>
public sealed class SafeTensorsReferenceLayoutTests
{
    private static readonly float[] s_six = [0f, 1f, 2f, 3f, 4f, 5f];

    [Fact]
    public void Single_f32_tensor_without_metadata_is_byte_exact_and_needs_no_padding()
    {
        var writer = new SafeTensorsWriter().Add("attn.0", [1, 2, 3], s_six);
        writer.Metadata.Clear();

        var file = SafeTensorsTestFiles.Write(writer);

        var expected = Expected("""{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""", MemoryMarshal.AsBytes(s_six.AsSpan()));
        Assert.Equal(expected, file);
        Assert.Equal(64UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
    }

    [Fact]
    public void Shorter_name_is_padded_with_seven_spaces_to_72_bytes()
    {
        var writer = new SafeTensorsWriter().Add("attn0", [1, 1, 2, 3], s_six);
        writer.Metadata.Clear();

        var file = SafeTensorsTestFiles.Write(writer);

        Assert.Equal(72UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       """, SafeTensorsTestFiles.HeaderText(file));
        Assert.Equal(Expected("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}""", MemoryMarshal.AsBytes(s_six.AsSpan())), file);
    }

    [Fact]
    public void Empty_file_is_an_empty_object_padded_to_8_bytes()
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata.Clear();

        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32], SafeTensorsTestFiles.Write(writer));
    }

    [Fact]
    public void Metadata_comes_first_and_is_padded_to_40_bytes()
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata.Clear();
        writer.Metadata["framework"] = "pt";

        var file = SafeTensorsTestFiles.Write(writer);

        Assert.Equal(40UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal("""{"__metadata__":{"framework":"pt"}}     """, SafeTensorsTestFiles.HeaderText(file));
    }

    [Fact]
    public void Default_writer_writes_format_pt_and_orders_tensors_by_alignment_then_name()
    {
        var writer = new SafeTensorsWriter()
            .Add("b", [1], new[] { 1f })
            .Add("a", [2], new[] { (Half)1, (Half)2 })
            .Add("mask", [3], new[] { true, false, true })
            .Add("c", [1], new[] { 2f })
            .Add("z", [1], new[] { 7L })
            .Add("B", [1], new[] { 3f });
        writer.Metadata["step"] = "10";

        var file = SafeTensorsTestFiles.Write(writer);

        // I64 before F32 before F16 before BOOL; names in byte order within a dtype ('B' < 'b' < 'c').
        var json = """
            {"__metadata__":{"format":"pt","step":"10"},"z":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"B":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},"c":{"dtype":"F32","shape":[1],"data_offsets":[16,20]},"a":{"dtype":"F16","shape":[2],"data_offsets":[20,24]},"mask":{"dtype":"BOOL","shape":[3],"data_offsets":[24,27]}}
            """;
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes(7L));
        data.AddRange(BitConverter.GetBytes(3f));
        data.AddRange(BitConverter.GetBytes(1f));
        data.AddRange(BitConverter.GetBytes(2f));
        data.AddRange(BitConverter.GetBytes((Half)1));
        data.AddRange(BitConverter.GetBytes((Half)2));
        data.AddRange([1, 0, 1]);
        Assert.Equal(Expected(json, data.ToArray()), file);

        using var reader = SafeTensorsTestFiles.Open(file);
        Assert.All(reader.Header.Tensors, t => Assert.Equal(0, (reader.Header.DataStart + t.DataBegin) % t.DType.GetElementSize()));
    }

    [Fact]
    public void Strings_escape_only_quotes_backslashes_and_control_characters_like_serde_json()
    {
        var writer = new SafeTensorsWriter().Add("a\"b\\c\u0001é/<>", [1], new byte[] { 1 });
        writer.Metadata.Clear();
        writer.Metadata["k"] = "line\nbreak\ttab\u001f\u007f";

        var text = SafeTensorsTestFiles.HeaderText(SafeTensorsTestFiles.Write(writer)).TrimEnd(' ');

        Assert.Equal(
            "{\"__metadata__\":{\"k\":\"line\\nbreak\\ttab\\u001f\u007f\"},\"a\\\"b\\\\c\\u0001é/<>\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
            text);
        using var reader = SafeTensorsTestFiles.Open(SafeTensorsTestFiles.Write(writer));
        Assert.Equal([1], reader.ReadTensor<byte>("a\"b\\c\u0001é/<>"));
        Assert.Equal("line\nbreak\ttab\u001f\u007f", reader.Header.Metadata["k"]);
    }

    [Fact]
    public void Hand_built_file_from_the_reference_documentation_reads_correctly()
    {
        // The example of the reference crate's docs: a 60-byte header (not a multiple of 8: padding is optional), I32 [2, 2], 16 zero bytes.
        var file = SafeTensorsTestFiles.Build("""{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}""", new byte[16], pad: false);
        Assert.Equal((byte)'<', file[0]);

        using var reader = SafeTensorsTestFiles.Open(file);

        Assert.Equal(60, reader.Header.HeaderLength);
        Assert.Equal(68, reader.Header.DataStart);
        Assert.Equal([0, 0, 0, 0], reader.ReadTensor<int>("test"));
        Assert.Equal([2L, 2L], reader.Header["test"].Shape.ToArray());
    }

    [Fact]
    public void Hand_built_file_with_whitespace_escapes_and_null_metadata_reads_correctly()
    {
        var values = new[] { 0.5f, -1f };
        var json = "{\n  \"__metadata__\" : null ,\n  \"layer\\u002e0\" : { \"shape\" : [ 2 ] , \"data_offsets\" : [ 0 , 8 ] , \"dtype\" : \"F\\u0033\\u0032\" }\n}";
        var file = SafeTensorsTestFiles.Build(json, MemoryMarshal.AsBytes(values.AsSpan()));

        using var reader = SafeTensorsTestFiles.Open(file);

        Assert.Empty(reader.Header.Metadata);
        Assert.Equal(SafeTensorsDType.F32, reader.Header["layer.0"].DType);
        Assert.Equal(values, reader.ReadTensor<float>("layer.0"));
    }

    [Fact]
    public void Dtype_names_and_sizes_follow_the_format()
    {
        var expected = new Dictionary<string, int>
        {
            ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1, ["F8_E8M0"] = 1, ["I16"] = 2, ["U16"] = 2,
            ["F16"] = 2, ["BF16"] = 2, ["I32"] = 4, ["U32"] = 4, ["F32"] = 4, ["C64"] = 8, ["F64"] = 8, ["I64"] = 8, ["U64"] = 8,
        };
        Assert.Equal(expected.Count, Enum.GetValues<SafeTensorsDType>().Length);
        foreach (var dtype in Enum.GetValues<SafeTensorsDType>())
        {
            var name = dtype.GetName();
            Assert.Equal(expected[name], dtype.GetElementSize());
            Assert.True(SafeTensorsDTypeExtensions.TryParse(name, out var parsed));
            Assert.Equal(dtype, parsed);
        }

        Assert.False(SafeTensorsDTypeExtensions.TryParse("f32", out _));
        Assert.False(SafeTensorsDTypeExtensions.TryParse(null, out _));
    }

    private static byte[] Expected(string json, ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetBytes(json);
        var padded = (text.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        text.CopyTo(result, 8);
        result.AsSpan(8 + text.Length, padded - text.Length).Fill(0x20);
        data.CopyTo(result.AsSpan(8 + padded));
        return result;
    }
}
