using System.Globalization;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Aigc.Training;

/// <summary>
/// Builds an ONNX graph node by node: names every node and intermediate value, keeps constants and weights as
/// initializers (weights by reference to their TorchSharp tensors, so large ones can go to external data later).
/// </summary>
/// <param name="constantPrefix">Prefixes the names of shared constants (a graph edited later keeps its own constants' names).</param>
internal sealed class OnnxGraphBuilder(string constantPrefix = "")
{
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new() { Name = "main_graph" };

    /// <summary>Gets the initializers in graph order, each with the tensor that holds its data.</summary>
    public List<OnnxInitializer> Initializers { get; } = [];

    /// <summary>Adds a node and returns the name of its (first) output.</summary>
    public string Node(string opType, string scope, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, scope, inputs, 1, attributes)[0];

    /// <summary>Adds a node with several outputs and returns their names.</summary>
    public string[] Node(string opType, string scope, IReadOnlyList<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var key = scope + "/" + opType;
        var n = _counters.TryGetValue(key, out var count) ? count : 0;
        _counters[key] = n + 1;
        var name = n == 0 ? key : key + "_" + n.ToString(CultureInfo.InvariantCulture);
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (var i = 0; i < outputs; i++)
        {
            names[i] = name + "_output_" + i.ToString(CultureInfo.InvariantCulture);
        }

        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Adds a node whose output has a given name (a graph output).</summary>
    public void NamedNode(string opType, string scope, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = scope + "/" + opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
    }

    /// <summary>Adds a weight initializer from a TorchSharp tensor (copied to float32 on the CPU).</summary>
    public string Weight(string name, Tensor tensor)
    {
        var source = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(source.shape);
        Initializers.Add(new OnnxInitializer(proto, source));
        return name;
    }

    /// <summary>Adds a zero-filled float initializer (it may have a zero-sized dimension).</summary>
    public string Zeros(string name, long[] dims)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(dims);
        var count = dims.Aggregate(1L, (a, b) => a * b);
        Initializers.Add(new OnnxInitializer(proto, null, new byte[checked(count * sizeof(float))]));
        return name;
    }

    /// <summary>Adds a named int64 initializer (1-D), for example the default of an optional input.</summary>
    public string Int64Initializer(string name, long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Raw(name, TensorProto.Types.DataType.Int64, [values.Length], bytes);
    }

    /// <summary>Adds an initializer of any element type from its raw little-endian bytes.</summary>
    public string Raw(string name, TensorProto.Types.DataType type, long[] dims, byte[] bytes)
    {
        var proto = new TensorProto { Name = name, DataType = (int)type };
        proto.Dims.AddRange(dims);
        Initializers.Add(new OnnxInitializer(proto, null, bytes));
        return name;
    }

    /// <summary>Returns an int64 constant (a 1-D tensor, or a scalar when <paramref name="scalar"/>), shared by value.</summary>
    public string Int64(long[] values, bool scalar = false)
    {
        var key = (scalar ? "s:" : "v:") + string.Join(',', values);
        if (_constants.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var name = constantPrefix + "const_i64_" + _constants.Count.ToString(CultureInfo.InvariantCulture);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        if (!scalar)
        {
            proto.Dims.Add(values.Length);
        }

        var bytes = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        Initializers.Add(new OnnxInitializer(proto, null, bytes));
        _constants[key] = name;
        return name;
    }

    /// <summary>Returns a float scalar constant, shared by value.</summary>
    public string Float(float value)
    {
        var key = "f:" + BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture);
        if (_constants.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var name = constantPrefix + "const_f32_" + _constants.Count.ToString(CultureInfo.InvariantCulture);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        Initializers.Add(new OnnxInitializer(proto, null, BitConverter.GetBytes(value)));
        _constants[key] = name;
        return name;
    }

    /// <summary>Declares a graph input.</summary>
    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Input.Add(ValueInfo(name, type, dims));

    /// <summary>Declares a graph output.</summary>
    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A tensor value description; each dimension is an <see cref="int"/>/<see cref="long"/> (fixed) or a <see cref="string"/> (symbolic).</summary>
    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException("A dimension is an integer or a symbol.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}

/// <summary>An initializer: its proto (name, type, dims) and its data, either a CPU tensor or bytes.</summary>
internal sealed record OnnxInitializer(TensorProto Proto, Tensor? Source, byte[]? Bytes = null)
{
    /// <summary>Gets the size of the data in bytes.</summary>
    public long ByteLength => Source is not null ? Source.NumberOfElements * Source.ElementSize : Bytes!.Length;

    /// <summary>Gets the data.</summary>
    public ReadOnlySpan<byte> Data => Source is not null ? Source.bytes : Bytes;

    /// <summary>Stores the data inside the proto.</summary>
    public void Embed() => Proto.RawData = ByteString.CopyFrom(Data);
}
