using System.Buffers.Binary;
using System.Text;

namespace Aigc.Abstractions.Tests.SafeTensors;

/// <summary>One crafted bad file per rule of the format; each must fail with the typed exception naming the rule.</summary>
public sealed class SafeTensorsValidationTests
{
    private const string F32x2 = "\"dtype\":\"F32\",\"shape\":[2]";

    [Fact]
    public void Message_names_the_file_the_tensor_and_the_rule()
    {
        var dir = Directory.CreateTempSubdirectory("aigc-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "gpt2.safetensors");
            File.WriteAllBytes(path, SafeTensorsTestFiles.Build(
                """{"h.0.attn.c_attn.weight":{"dtype":"F32","shape":[4,8],"data_offsets":[0,96]}}""", 96));

            var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsReader.Open(path));

            Assert.Equal(
                $"Invalid safetensors file '{path}': tensor 'h.0.attn.c_attn.weight': data_offsets [0, 96] span 96 bytes but shape [4, 8] of F32 needs 128.",
                ex.Message);
            Assert.Equal(path, ex.FilePath);
            Assert.Equal("h.0.attn.c_attn.weight", ex.TensorName);
            Assert.IsAssignableFrom<IOException>(ex);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void File_shorter_than_the_size_field_is_rejected()
    {
        var ex = SafeTensorsTestFiles.Reject([1, 2, 3, 4, 5]);
        Assert.Equal("Invalid safetensors stream: the file is 5 bytes long, shorter than the 8-byte header size field.", ex.Message);
        Assert.Null(ex.FilePath);
        Assert.Null(ex.TensorName);
    }

    [Theory]
    [InlineData(100_000_001UL, "the header size field says 100000001 bytes, more than the format's limit of 100000000")]
    [InlineData(ulong.MaxValue, "the header size field says 18446744073709551615 bytes, more than the format's limit of 100000000")]
    [InlineData(99_999_999UL, "the header size field says 99999999 bytes but only 24 bytes follow it in the file")]
    [InlineData(25UL, "the header size field says 25 bytes but only 24 bytes follow it in the file")]
    public void Header_size_beyond_the_limit_or_the_file_is_rejected_before_allocating(ulong size, string rule)
    {
        var file = SafeTensorsTestFiles.Build("{}", 0);
        Array.Resize(ref file, 32);
        BinaryPrimitives.WriteUInt64LittleEndian(file, size);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = SafeTensorsTestFiles.Reject(file);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"Invalid safetensors stream: {rule}.", ex.Message);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("", "the header is empty; it must be a JSON object starting with '{'")]
    [InlineData("[1,2]", "the header must be a JSON object starting with '{' but starts with byte 0x5B")]
    [InlineData(" {}", "the header must be a JSON object starting with '{' but starts with byte 0x20")]
    [InlineData("{}x", "byte 0x78 at header offset 2 follows the JSON object; only spaces (0x20) may pad the header")]
    [InlineData("{}\n", "byte 0x0A at header offset 2 follows the JSON object; only spaces (0x20) may pad the header")]
    [InlineData("{} \0", "byte 0x00 at header offset 3 follows the JSON object; only spaces (0x20) may pad the header")]
    [InlineData("{}{}", "byte 0x7B at header offset 2 follows the JSON object; only spaces (0x20) may pad the header")]
    public void Header_must_be_one_object_padded_only_with_spaces(string json, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(json, 0, pad: false));
        Assert.Equal($"Invalid safetensors stream: {rule}.", ex.Message);
    }

    [Fact]
    public void Header_that_is_not_utf8_is_rejected()
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.BuildRaw([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], 0));
        Assert.Equal("Invalid safetensors stream: the header is not valid UTF-8.", ex.Message);
    }

    [Theory]
    [InlineData("""{"a":}""")]
    [InlineData("""{"a":{"dtype":"F32",}}""")]
    [InlineData("""{"a" {}}""")]
    [InlineData("""{/* comment */}""")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""")]
    public void Header_that_is_not_json_is_rejected(string json)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(json, 8));
        Assert.Contains("Invalid safetensors stream: ", ex.Message);
        Assert.True(ex.Message.Contains("the header is not valid JSON: ", StringComparison.Ordinal)
            || ex.Message.Contains("the header ends inside the JSON object", StringComparison.Ordinal), ex.Message);
    }

    [Theory]
    [InlineData("""{"a":1}""", "a", "the entry must be an object with dtype, shape and data_offsets, not a number")]
    [InlineData("""{"a":[]}""", "a", "the entry must be an object with dtype, shape and data_offsets, not an array")]
    [InlineData("""{"a":{"dtype":"F128","shape":[2],"data_offsets":[0,8]}}""", "a", "unknown dtype 'F128'; expected one of BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64")]
    [InlineData("""{"a":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}}""", "a", "unknown dtype 'f32'; expected one of BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64")]
    [InlineData("""{"a":{"dtype":"F4","shape":[2],"data_offsets":[0,8]}}""", "a", "dtype 'F4' is a sub-byte type, which this library does not read")]
    [InlineData("""{"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}""", "a", "'dtype' must be a string, not a number")]
    [InlineData("""{"a":{"shape":[2],"data_offsets":[0,8]}}""", "a", "the entry has no 'dtype'")]
    [InlineData("""{"a":{"dtype":"F32","data_offsets":[0,8]}}""", "a", "the entry has no 'shape'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2]}}""", "a", "the entry has no 'data_offsets'")]
    [InlineData("""{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "a", "the entry has 'dtype' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"shape":[2],"data_offsets":[0,8]}}""", "a", "the entry has 'shape' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"data_offsets":[0,8]}}""", "a", "the entry has 'data_offsets' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"offsets":[0,8]}}""", "a", "unknown field 'offsets'; an entry has only dtype, shape and data_offsets")]
    public void Tensor_entry_must_be_an_object_with_a_known_dtype_and_exactly_the_three_fields(string json, string tensor, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(json, 8));
        Assert.Equal($"Invalid safetensors stream: tensor '{tensor}': {rule}.", ex.Message);
        Assert.Equal(tensor, ex.TensorName);
    }

    [Theory]
    [InlineData("[-1]", "a 'shape' dimension must be a non-negative integer, not '-1'")]
    [InlineData("[1.5]", "a 'shape' dimension must be a non-negative integer, not '1.5'")]
    [InlineData("[2.0]", "a 'shape' dimension must be a non-negative integer, not '2.0'")]
    [InlineData("[1e1]", "a 'shape' dimension must be a non-negative integer, not '1e1'")]
    [InlineData("[\"2\"]", "a 'shape' dimension must be a non-negative integer, not a string")]
    [InlineData("[[2]]", "a 'shape' dimension must be a non-negative integer, not an array")]
    [InlineData("[null]", "a 'shape' dimension must be a non-negative integer, not null")]
    [InlineData("2", "'shape' must be an array of non-negative integers, not a number")]
    [InlineData("[18446744073709551615]", "a 'shape' dimension '18446744073709551615' is larger than 2^63 - 1")]
    [InlineData("[99999999999999999999999]", "a 'shape' dimension '99999999999999999999999' is larger than 2^63 - 1")]
    [InlineData("[4294967296,4294967296]", "shape [4294967296, 4294967296] of F32 needs more bytes than a 64-bit size can count")]
    [InlineData("[3037000500,3037000500]", "shape [3037000500, 3037000500] of F32 needs more bytes than a 64-bit size can count")]
    [InlineData("[1,1,1,1,1,1,1,1,1,3]", "data_offsets [0, 8] span 8 bytes but shape [1, 1, 1, 1, 1, 1, 1, 1, … (10 dimensions)] of F32 needs 12")]
    [InlineData("[]", "data_offsets [0, 8] span 8 bytes but shape [] of F32 needs 4")]
    [InlineData("[0]", "data_offsets [0, 8] span 8 bytes but shape [0] of F32 needs 0")]
    public void Shape_must_be_non_negative_integers_whose_checked_product_matches_the_offsets(string shape, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,8]}}", 8));
        Assert.Equal($"Invalid safetensors stream: tensor 'w': {rule}.", ex.Message);
    }

    [Theory]
    [InlineData("[0]", "'data_offsets' must be an array of two non-negative integers [begin, end], not one value")]
    [InlineData("[]", "'data_offsets' must be an array of two non-negative integers [begin, end], not an empty array")]
    [InlineData("[0,8,8]", "'data_offsets' must be an array of two non-negative integers [begin, end], not more than two values")]
    [InlineData("{\"begin\":0}", "'data_offsets' must be an array of two non-negative integers [begin, end], not an object")]
    [InlineData("[0,8.0]", "a 'data_offsets' value must be a non-negative integer, not '8.0'")]
    [InlineData("[-8,0]", "a 'data_offsets' value must be a non-negative integer, not '-8'")]
    [InlineData("[8,0]", "data_offsets [8, 0] end before they begin")]
    [InlineData("[0,9223372036854775808]", "a 'data_offsets' value '9223372036854775808' is larger than 2^63 - 1")]
    public void Data_offsets_must_be_two_ordered_non_negative_integers(string offsets, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build("{\"w\":{" + F32x2 + ",\"data_offsets\":" + offsets + "}}", 8));
        Assert.Equal($"Invalid safetensors stream: tensor 'w': {rule}.", ex.Message);
    }

    [Fact]
    public void Duplicate_tensor_names_are_rejected_even_when_escaped_differently()
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(
            "{\"w\":{" + F32x2 + ",\"data_offsets\":[0,8]},\"\\u0077\":{" + F32x2 + ",\"data_offsets\":[8,16]}}", 16));
        Assert.Equal("Invalid safetensors stream: tensor 'w': the header has this key twice; duplicate keys are not allowed.", ex.Message);
    }

    [Theory]
    [InlineData("""{"__metadata__":{},"__metadata__":{}}""", "the header has the key '__metadata__' twice; duplicate keys are not allowed")]
    [InlineData("""{"__metadata__":"pt"}""", "'__metadata__' must be an object of string values, not a string")]
    [InlineData("""{"__metadata__":["pt"]}""", "'__metadata__' must be an object of string values, not an array")]
    [InlineData("""{"__metadata__":{"epoch":3}}""", "'__metadata__' value of 'epoch' must be a string, not a number")]
    [InlineData("""{"__metadata__":{"nested":{"a":"b"}}}""", "'__metadata__' value of 'nested' must be a string, not an object")]
    [InlineData("""{"__metadata__":{"format":null}}""", "'__metadata__' value of 'format' must be a string, not null")]
    [InlineData("""{"__metadata__":{"format":"pt","format":"np"}}""", "'__metadata__' has the key 'format' twice; duplicate keys are not allowed")]
    public void Metadata_must_be_one_map_of_strings(string json, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(json, 0));
        Assert.Equal($"Invalid safetensors stream: {rule}.", ex.Message);
    }

    [Fact]
    public void String_with_an_unpaired_surrogate_escape_is_rejected()
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build("{\"\\ud800\":{" + F32x2 + ",\"data_offsets\":[0,8]}}", 8));
        Assert.StartsWith("Invalid safetensors stream: the header has a string that is not valid text: ", ex.Message);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}""", 8, "a", "data_offsets [4, 8] leave a hole of 4 bytes at the start of the data buffer; the first tensor must begin at 0")]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[6,10]}}""", 10, "b", "data_offsets [6, 10] leave a hole of 2 bytes after tensor 'a', which ends at 4")]
    [InlineData("""{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}""", 8, "b", "data_offsets [4, 8] overlap tensor 'a', which ends at 8")]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", 4, "b", "data_offsets [0, 4] overlap tensor 'a', which ends at 4")]
    [InlineData("""{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}""", 4, "a", "data_offsets [0, 8] end past the data buffer, which holds 4 bytes (file length 68 - data start 64)")]
    [InlineData("""{"a":{"dtype":"F64","shape":[1000000,1000000],"data_offsets":[0,8000000000000]}}""", 8, "a", "data_offsets [0, 8000000000000] end past the data buffer, which holds 8 bytes (file length 96 - data start 88)")]
    public void Tensors_must_cover_the_data_buffer_without_holes_or_overlaps(string json, int dataLength, string tensor, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(json, dataLength));
        Assert.Equal($"Invalid safetensors stream: tensor '{tensor}': {rule}.", ex.Message);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", 6, "the tensors cover 4 bytes but the data buffer holds 6 (file length 70 - data start 64); the buffer must be covered exactly, with no trailing bytes")]
    [InlineData("{}", 3, "the tensors cover 0 bytes but the data buffer holds 3 (file length 19 - data start 16); the buffer must be covered exactly, with no trailing bytes")]
    public void Data_buffer_must_end_where_the_last_tensor_ends(string json, int dataLength, string rule)
    {
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build(json, dataLength));
        Assert.Equal($"Invalid safetensors stream: {rule}.", ex.Message);
    }

    [Fact]
    public void Hostile_names_are_cut_short_in_messages()
    {
        var name = new string('x', 5000);
        var ex = SafeTensorsTestFiles.Reject(SafeTensorsTestFiles.Build("{\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        Assert.True(ex.Message.Length < 400, ex.Message);
        Assert.Contains("(5000 characters)", ex.Message);
        Assert.Equal(name, ex.TensorName);
    }

    [Fact]
    public void Bool_tensor_holding_a_byte_other_than_0_or_1_fails_when_read_as_bool()
    {
        var file = SafeTensorsTestFiles.Build("""{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}""", new byte[] { 1, 2, 0 });
        using var reader = SafeTensorsTestFiles.Open(file);

        var ex = Assert.Throws<SafeTensorsFormatException>(() => reader.ReadTensor<bool>("m"));

        Assert.Equal("Invalid safetensors stream: tensor 'm': BOOL element 1 is byte 0x02; booleans must be 0 or 1.", ex.Message);
        Assert.Equal([1, 2, 0], reader.ReadTensor<byte>("m"));
    }

    [Fact]
    public async Task Content_truncated_after_opening_fails_with_the_typed_exception_wrapping_end_of_stream()
    {
        var file = SafeTensorsTestFiles.Write(new SafeTensorsWriter().Add("a", [4], new[] { 1f, 2f, 3f, 4f }));
        var stream = new MemoryStream();
        stream.Write(file);
        stream.Position = 0;
        using var reader = SafeTensorsReader.Open(stream);
        stream.SetLength(file.Length - 3);

        var ex = Assert.Throws<SafeTensorsFormatException>(() => reader.ReadTensor<float>("a"));
        var exAsync = await Assert.ThrowsAsync<SafeTensorsFormatException>(() => reader.ReadTensorAsync<float>("a"));
        using var tensorStream = reader.OpenTensorStream("a");
        var exStream = Assert.Throws<SafeTensorsFormatException>(() => tensorStream.CopyTo(Stream.Null));

        Assert.Equal("Invalid safetensors stream: tensor 'a': the file ended before the tensor's last byte; it was truncated or changed after it was opened.", ex.Message);
        Assert.IsType<EndOfStreamException>(ex.InnerException);
        Assert.IsType<EndOfStreamException>(exAsync.InnerException);
        Assert.Equal("a", exStream.TensorName);
    }

    [Fact]
    public void Rejecting_a_file_closes_it()
    {
        var dir = Directory.CreateTempSubdirectory("aigc-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "bad.safetensors");
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("not a safetensors file"));

            Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsReader.Open(path));

            File.Delete(path); // would fail on Windows if the handle leaked; on Linux checks nothing is left behind
            Assert.False(File.Exists(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
