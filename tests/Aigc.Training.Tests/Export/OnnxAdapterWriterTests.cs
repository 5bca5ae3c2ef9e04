using System.Buffers.Binary;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Export;

public sealed class OnnxAdapterWriterTests
{
    [Fact]
    public void The_file_is_a_TORT_flatbuffer_with_every_parameter_aligned()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(0, 6, dtype: ScalarType.Float32).reshape(2, 3);
        var b = torch.tensor(new[] { 1.5f, -2f, 0.25f }, [3, 1]);
        var half = torch.ones(1, 2, dtype: ScalarType.Float16);
        var bytes = OnnxAdapterWriter.ToBytes(
            new Dictionary<string, Tensor> { ["x.lora_B.weight"] = b, ["x.lora_A.weight"] = a, ["h"] = half },
            adapterVersion: 7,
            modelVersion: 3);

        var adapter = FlatAdapter.Read(bytes);
        Assert.Equal("TORT", Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.Equal(1, adapter.FormatVersion);
        Assert.Equal(7, adapter.AdapterVersion);
        Assert.Equal(3, adapter.ModelVersion);
        Assert.Equal(["h", "x.lora_A.weight", "x.lora_B.weight"], adapter.Parameters.Select(p => p.Name));
        var pa = adapter.Parameters[1];
        Assert.Equal([2L, 3], pa.Dims);
        Assert.Equal(1, pa.DataType);
        Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5 }, MemoryMarshalFloats(pa.Data));
        Assert.Equal(10, adapter.Parameters[0].DataType);
        Assert.Equal(4, adapter.Parameters[0].Data.Length);
        Assert.All(adapter.Parameters, p => Assert.Equal(0, p.DataOffset % 8));
        Assert.Equal(0, bytes.Length % 8);

        // ONNX Runtime's own verifier accepts it.
        using var loaded = OrtLoraAdapter.Create(bytes, null);
    }

    [Fact]
    public void An_empty_adapter_and_unsupported_types_are_handled()
    {
        var empty = FlatAdapter.Read(OnnxAdapterWriter.ToBytes(new Dictionary<string, Tensor>()));
        Assert.Empty(empty.Parameters);

        using var ints = torch.ones(2, dtype: ScalarType.Int64);
        var error = Assert.Throws<NotSupportedException>(() => OnnxAdapterWriter.ToBytes(new Dictionary<string, Tensor> { ["n"] = ints }));
        Assert.Contains("Float32", error.Message);
    }

    [Fact]
    public void ORT_rejects_a_corrupted_file()
    {
        using var scope = torch.NewDisposeScope();
        var bytes = OnnxAdapterWriter.ToBytes(new Dictionary<string, Tensor> { ["p"] = torch.ones(4) });
        bytes[4] = (byte)'X';

        Assert.ThrowsAny<OnnxRuntimeException>(() => OrtLoraAdapter.Create(bytes, null));
    }

    private static float[] MemoryMarshalFloats(byte[] data)
    {
        var floats = new float[data.Length / 4];
        Buffer.BlockCopy(data, 0, floats, 0, data.Length);
        return floats;
    }

    /// <summary>A reader written from the FlatBuffers spec, independent of the writer.</summary>
    private sealed record FlatAdapter(int FormatVersion, int AdapterVersion, int ModelVersion, IReadOnlyList<FlatParameter> Parameters)
    {
        public static FlatAdapter Read(byte[] buffer)
        {
            var root = (int)U32(buffer, 0);
            int Field(int table, int index)
            {
                var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(table));
                var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(vtable));
                var slot = 4 + (2 * index);
                var offset = slot < vtableSize ? BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(vtable + slot)) : 0;
                Assert.NotEqual(0, offset);
                return table + offset;
            }

            int Deref(int at) => at + (int)U32(buffer, at);
            var parametersVector = Deref(Field(root, 3));
            var count = (int)U32(buffer, parametersVector);
            var parameters = new List<FlatParameter>();
            for (var i = 0; i < count; i++)
            {
                var table = Deref(parametersVector + 4 + (4 * i));
                var name = Deref(Field(table, 0));
                var dims = Deref(Field(table, 1));
                var data = Deref(Field(table, 3));
                Assert.Equal(0, buffer[name + 4 + (int)U32(buffer, name)]); // NUL-terminated
                Assert.Equal(0, (dims + 4) % 8);
                parameters.Add(new FlatParameter(
                    Encoding.UTF8.GetString(buffer, name + 4, (int)U32(buffer, name)),
                    Enumerable.Range(0, (int)U32(buffer, dims)).Select(d => BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(dims + 4 + (8 * d)))).ToArray(),
                    BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(Field(table, 2))),
                    buffer.AsSpan(data + 4, (int)U32(buffer, data)).ToArray(),
                    data + 4));
            }

            return new FlatAdapter(
                BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(Field(root, 0))),
                BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(Field(root, 1))),
                BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(Field(root, 2))),
                parameters);
        }

        private static uint U32(byte[] buffer, int at) => BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at));
    }

    private sealed record FlatParameter(string Name, long[] Dims, int DataType, byte[] Data, int DataOffset);
}
