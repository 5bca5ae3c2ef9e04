using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Aigc.Inference;

/// <summary>
/// Reads the float parameters of an ONNX Runtime LoRA adapter file (<c>.onnx_adapter</c>, the FlatBuffer of
/// <c>onnxruntime/lora/adapter_format/adapter_schema.fbs</c> with identifier <c>TORT</c>), for the per-row adapter
/// export, whose stacked slots the engine fills itself (ONNX Runtime's <see cref="Microsoft.ML.OnnxRuntime.OrtLoraAdapter"/>
/// does not expose the values). Every offset is checked against the buffer before it is followed.
/// </summary>
internal static class OnnxAdapterFile
{
    private const int FloatType = 1;

    /// <summary>One parameter: its name, dims and values.</summary>
    public sealed record Parameter(string Name, long[] Dims, float[] Values);

    /// <summary>Reads every parameter of the file.</summary>
    /// <exception cref="InvalidDataException">The file is not an adapter, is truncated, or holds a non-float parameter.</exception>
    public static List<Parameter> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"'{path}' is not a valid .onnx_adapter file: an offset or length points outside the {bytes.Length}-byte file.", e);
        }
    }

    private static List<Parameter> Parse(byte[] bytes)
    {
        if (bytes.Length < 8 || Encoding.ASCII.GetString(bytes, 4, 4) != "TORT")
        {
            throw new InvalidDataException("The file is not an ONNX Runtime adapter: it lacks the 'TORT' identifier.");
        }

        var adapter = checked((int)U32(bytes, 0));
        var parametersField = Field(bytes, adapter, 3) ?? throw new InvalidDataException("The adapter has no parameters.");
        var vector = Follow(bytes, parametersField);
        var count = checked((int)U32(bytes, vector));
        var result = new List<Parameter>(count);
        for (var i = 0; i < count; i++)
        {
            var table = Follow(bytes, vector + 4 + (4 * i));
            var nameAt = Follow(bytes, Field(bytes, table, 0) ?? throw new InvalidDataException("A parameter has no name."));
            var name = Encoding.UTF8.GetString(bytes.AsSpan(nameAt + 4, checked((int)U32(bytes, nameAt))));
            var dimsAt = Follow(bytes, Field(bytes, table, 1) ?? throw new InvalidDataException($"Parameter '{name}' has no dims."));
            var dims = new long[checked((int)U32(bytes, dimsAt))];
            for (var d = 0; d < dims.Length; d++)
            {
                dims[d] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(dimsAt + 4 + (8 * d), 8));
            }

            var type = Field(bytes, table, 2) is { } typeAt ? BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(typeAt, 4)) : 0;
            if (type != FloatType)
            {
                throw new InvalidDataException($"Parameter '{name}' has data type {type}; the per-row adapter export takes float (1) parameters.");
            }

            var dataAt = Follow(bytes, Field(bytes, table, 3) ?? throw new InvalidDataException($"Parameter '{name}' has no data."));
            var length = checked((int)U32(bytes, dataAt));
            var elements = dims.Aggregate(1L, (a, b) => checked(a * b));
            if (length != elements * sizeof(float))
            {
                throw new InvalidDataException($"Parameter '{name}' holds {length} bytes for dims [{string.Join(", ", dims)}] ({elements} floats).");
            }

            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataAt + 4, length)).ToArray();
            result.Add(new Parameter(name, dims, values));
        }

        return result;
    }

    /// <summary>Returns the position of a table's field, or null when the field is absent.</summary>
    private static int? Field(byte[] bytes, int table, int index)
    {
        var vtable = checked(table - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table, 4)));
        var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable, 2));
        var slot = 4 + (2 * index);
        if (slot + 2 > vtableSize)
        {
            return null;
        }

        var offset = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + slot, 2));
        return offset == 0 ? null : table + offset;
    }

    private static int Follow(byte[] bytes, int at) => checked(at + (int)U32(bytes, at));

    private static uint U32(byte[] bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at, 4));
}
