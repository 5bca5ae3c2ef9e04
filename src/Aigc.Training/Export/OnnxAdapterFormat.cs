using System.Buffers.Binary;
using System.Text;

namespace Aigc.Training;

/// <summary>
/// Writes ONNX Runtime's LoRA adapter FlatBuffer (<c>onnxruntime/lora/adapter_format/adapter_schema.fbs</c>):
/// root table <c>Adapter { format_version:int; adapter_version:int; model_version:int; parameters:[Parameter]; }</c>,
/// <c>Parameter { name:string; dims:[int64]; data_type:TensorDataType(int32); raw_data:[uint8] (force_align: 8); }</c>,
/// file identifier <c>TORT</c>.
/// </summary>
/// <remarks>
/// The layout is written front to back (every offset points forward, as FlatBuffers' unsigned offsets must):
/// root offset and identifier, the Adapter vtable and table, the parameters vector, then each Parameter's vtable,
/// table, name, dims and data. Scalars sit at multiples of their size and every <c>raw_data</c> payload at a
/// multiple of 8 from the buffer start, which FlatBuffers' verifier and ONNX Runtime (it maps tensors over the
/// payload in place) rely on.
/// </remarks>
internal static class OnnxAdapterFormat
{
    public const string Identifier = "TORT";
    public const int FormatVersion = 1;

    /// <summary>ONNX Runtime's TensorDataType values (the ONNX TensorProto data types).</summary>
    public const int Float = 1;
    public const int Float16 = 10;
    public const int Double = 11;
    public const int BFloat16 = 16;

    /// <summary>One parameter to write: its raw little-endian data.</summary>
    public sealed record Parameter(string Name, long[] Dims, int DataType, byte[] Data);

    /// <summary>Serialises the adapter.</summary>
    public static byte[] Build(IReadOnlyList<Parameter> parameters, int adapterVersion, int modelVersion)
    {
        var w = new Writer();
        w.U32(0); // root offset, patched below
        w.Bytes(Encoding.ASCII.GetBytes(Identifier));

        // Adapter vtable: 4 fields, each 4 bytes in the table after the soffset.
        var adapterVtable = w.VTable(tableSize: 4 + 16, 4, 8, 12, 16);
        w.Align(4);
        var adapterTable = w.Position;
        w.PatchU32(0, (uint)adapterTable);
        w.I32(adapterTable - adapterVtable);
        w.I32(FormatVersion);
        w.I32(adapterVersion);
        w.I32(modelVersion);
        var parametersField = w.Position;
        w.U32(0);

        // parameters: [Parameter] — a length, then one forward offset per table.
        w.Align(4);
        w.PatchOffset(parametersField, w.Position);
        w.U32((uint)parameters.Count);
        var slots = new int[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            slots[i] = w.Position;
            w.U32(0);
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var vtable = w.VTable(tableSize: 4 + 16, 4, 8, 12, 16);
            w.Align(4);
            var table = w.Position;
            w.PatchOffset(slots[i], table);
            w.I32(table - vtable);
            var nameField = w.Position;
            w.U32(0);
            var dimsField = w.Position;
            w.U32(0);
            w.I32(p.DataType);
            var dataField = w.Position;
            w.U32(0);

            // name: length, UTF-8 bytes, NUL.
            w.Align(4);
            w.PatchOffset(nameField, w.Position);
            var name = Encoding.UTF8.GetBytes(p.Name);
            w.U32((uint)name.Length);
            w.Bytes(name);
            w.Bytes([0]);

            // dims: [int64], elements 8-aligned (the length sits just before them).
            w.AlignBeforeVector(8);
            w.PatchOffset(dimsField, w.Position);
            w.U32((uint)p.Dims.Length);
            foreach (var dim in p.Dims)
            {
                w.I64(dim);
            }

            // raw_data: [uint8] (force_align: 8).
            w.AlignBeforeVector(8);
            w.PatchOffset(dataField, w.Position);
            w.U32((uint)p.Data.Length);
            w.Bytes(p.Data);
        }

        w.Align(8);
        return w.ToArray();
    }

    private sealed class Writer
    {
        private readonly MemoryStream _stream = new();

        public int Position => checked((int)_stream.Position);

        public void Bytes(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

        public void U32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            _stream.Write(b);
        }

        public void I32(int value) => U32(unchecked((uint)value));

        public void U16(ushort value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
            _stream.Write(b);
        }

        public void I64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            _stream.Write(b);
        }

        public void Align(int alignment)
        {
            while (_stream.Position % alignment != 0)
            {
                _stream.WriteByte(0);
            }
        }

        /// <summary>Pads so that a vector's 4-byte length ends where its elements can start aligned.</summary>
        public void AlignBeforeVector(int alignment)
        {
            while ((_stream.Position + 4) % alignment != 0)
            {
                _stream.WriteByte(0);
            }
        }

        /// <summary>Writes a vtable (its size, the table's size, then each field's offset in the table) and returns its position.</summary>
        public int VTable(int tableSize, params ushort[] fieldOffsets)
        {
            Align(2);
            var position = Position;
            U16((ushort)(4 + (2 * fieldOffsets.Length)));
            U16((ushort)tableSize);
            foreach (var offset in fieldOffsets)
            {
                U16(offset);
            }

            return position;
        }

        public void PatchU32(int at, uint value)
        {
            var buffer = _stream.GetBuffer();
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at, 4), value);
        }

        /// <summary>Stores at <paramref name="at"/> the forward offset to <paramref name="target"/>.</summary>
        public void PatchOffset(int at, int target) => PatchU32(at, checked((uint)(target - at)));

        public byte[] ToArray() => _stream.ToArray();
    }
}
