using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Training;

/// <summary>Reads an ONNX model and its initializers' bytes (inline raw or typed data, or an external data file beside it).</summary>
internal static class OnnxModelReader
{
    /// <summary>Reads the model; every initializer comes back as raw bytes (its proto's data fields cleared).</summary>
    /// <exception cref="FileNotFoundException">The model or its external data file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or an initializer's data is out of its file's range.</exception>
    public static (ModelProto Model, List<OnnxInitializer> Initializers) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The ONNX model '{path}' does not exist.", path);
        }

        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model (protobuf ModelProto): {e.Message}", e);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: it has no graph nodes.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var initializers = new List<OnnxInitializer>(model.Graph.Initializer.Count);
        foreach (var proto in model.Graph.Initializer)
        {
            var bytes = Bytes(proto, directory);
            proto.RawData = ByteString.Empty;
            proto.FloatData.Clear();
            proto.Int64Data.Clear();
            proto.Int32Data.Clear();
            proto.DoubleData.Clear();
            proto.ExternalData.Clear();
            proto.DataLocation = TensorProto.Types.DataLocation.Default;
            initializers.Add(new OnnxInitializer(proto, null, bytes));
        }

        model.Graph.Initializer.Clear();
        return (model, initializers);
    }

    private static byte[] Bytes(TensorProto proto, string directory)
    {
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return External(proto, directory);
        }

        if (!proto.RawData.IsEmpty)
        {
            return proto.RawData.ToByteArray();
        }

        return (DataType)proto.DataType switch
        {
            DataType.Float => MemoryMarshal.AsBytes(proto.FloatData.ToArray().AsSpan()).ToArray(),
            DataType.Int64 => MemoryMarshal.AsBytes(proto.Int64Data.ToArray().AsSpan()).ToArray(),
            DataType.Int32 => MemoryMarshal.AsBytes(proto.Int32Data.ToArray().AsSpan()).ToArray(),
            DataType.Double => MemoryMarshal.AsBytes(proto.DoubleData.ToArray().AsSpan()).ToArray(),
            DataType.Int8 => proto.Int32Data.Select(v => unchecked((byte)(sbyte)v)).ToArray(),
            DataType.Uint8 or DataType.Bool => proto.Int32Data.Select(v => (byte)v).ToArray(),
            DataType.Float16 => proto.Int32Data.SelectMany(v => BitConverter.GetBytes((ushort)v)).ToArray(),
            _ => throw new NotSupportedException(
                $"Initializer '{proto.Name}' of element type {(DataType)proto.DataType} stores its values in typed fields; supported there: float, double, int64, int32, int8, uint8, bool, float16 (any type as raw data)."),
        };
    }

    private static byte[] External(TensorProto proto, string directory)
    {
        var entries = proto.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (!entries.TryGetValue("location", out var location))
        {
            throw new InvalidDataException($"Initializer '{proto.Name}' is external but names no location.");
        }

        var file = Path.Combine(directory, location);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"The external data file '{file}' of initializer '{proto.Name}' does not exist.", file);
        }

        using var stream = File.OpenRead(file);
        var offset = entries.TryGetValue("offset", out var o) ? long.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var length = entries.TryGetValue("length", out var l) ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : stream.Length - offset;
        if (offset < 0 || length < 0 || offset + length > stream.Length)
        {
            throw new InvalidDataException($"Initializer '{proto.Name}' lies at bytes {offset}..{offset + length} of '{file}', which has {stream.Length}.");
        }

        var bytes = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }
}
