using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Inference.Tests.Fixtures;

/// <summary>Small ONNX graphs built with OnnxSharp, with arithmetic whose results are exact, so batched and unbatched runs compare bit for bit.</summary>
internal static class TestGraphs
{
    public static readonly float[] Scale = [0.5f, 2f, -1f, 4f];
    public static readonly float[] Offset = [1f, -2f, 0.25f, 8f];
    public static readonly long[] Weights = [1, 2, 3, 4, 5, 6];

    /// <summary>
    /// <c>x</c> float [batch, 4] → <c>y</c> = x * Scale + Offset [batch, 4]; <c>ids</c> int64 [batch, 3] →
    /// <c>z</c> = ids · W (W int64 [3, 2]) [batch, 2].
    /// </summary>
    public static byte[] Affine(string batch = "batch")
    {
        var graph = new GraphProto { Name = "affine" };
        graph.Input.Add(Value("x", DataType.Float, batch, 4L));
        graph.Input.Add(Value("ids", DataType.Int64, batch, 3L));
        graph.Output.Add(Value("y", DataType.Float, batch, 4L));
        graph.Output.Add(Value("z", DataType.Int64, batch, 2L));
        graph.Initializer.Add(Floats("scale", Scale, 4));
        graph.Initializer.Add(Floats("offset", Offset, 4));
        graph.Initializer.Add(Longs("w", Weights, 3, 2));
        graph.Node.Add(Node("Mul", ["x", "scale"], ["scaled"]));
        graph.Node.Add(Node("Add", ["scaled", "offset"], ["y"]));
        graph.Node.Add(Node("MatMul", ["ids", "w"], ["z"]));
        return Model(graph);
    }

    /// <summary>
    /// <c>input_ids</c> int64 [batch, seq] and <c>attention_mask</c> int64 [batch, seq] →
    /// <c>masked</c> = (input_ids + 1) * mask [batch, seq] and <c>total</c> = sum over seq of masked [batch, 1].
    /// </summary>
    public static byte[] Sequence()
    {
        var graph = new GraphProto { Name = "sequence" };
        graph.Input.Add(Value("input_ids", DataType.Int64, "batch", "seq"));
        graph.Input.Add(Value("attention_mask", DataType.Int64, "batch", "seq"));
        graph.Output.Add(Value("masked", DataType.Int64, "batch", "seq"));
        graph.Output.Add(Value("total", DataType.Int64, "batch", 1L));
        graph.Initializer.Add(Longs("one", [1]));
        graph.Initializer.Add(Longs("axes", [1], 1));
        graph.Node.Add(Node("Add", ["input_ids", "one"], ["shifted"]));
        graph.Node.Add(Node("Mul", ["shifted", "attention_mask"], ["masked"]));
        graph.Node.Add(Node("ReduceSum", ["masked", "axes"], ["total"]));
        return Model(graph);
    }

    /// <summary>A model-zoo style graph fixed at batch 1: <c>x</c> float [1, 2, 2] → Reshape [1, 4] → Relu → <c>y</c> [1, 4].</summary>
    public static byte[] FixedBatchOne()
    {
        var graph = new GraphProto { Name = "fixed" };
        graph.Input.Add(Value("x", DataType.Float, 1L, 2L, 2L));
        graph.Output.Add(Value("y", DataType.Float, 1L, 4L));
        graph.ValueInfo.Add(Value("flat", DataType.Float, 1L, 4L));
        graph.Initializer.Add(Longs("shape", [1, 4], 2));
        graph.Node.Add(Node("Reshape", ["x", "shape"], ["flat"]));
        graph.Node.Add(Node("Relu", ["flat"], ["y"]));
        return Model(graph);
    }

    /// <summary><c>x</c> float [batch, n] → <c>y</c> = Concat(x, x) along axis 1, declared [batch, m]: an output dimension no input names.</summary>
    public static byte[] Doubled()
    {
        var graph = new GraphProto { Name = "doubled" };
        graph.Input.Add(Value("x", DataType.Float, "batch", "n"));
        graph.Output.Add(Value("y", DataType.Float, "batch", "m"));
        var concat = Node("Concat", ["x", "x"], ["y"]);
        concat.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(concat);
        return Model(graph);
    }

    /// <summary><c>x</c> float [batch, n] → Reshape to [-1, 3]: fails for the warm-up's one-element input.</summary>
    public static byte[] Triples()
    {
        var graph = new GraphProto { Name = "triples" };
        graph.Input.Add(Value("x", DataType.Float, "batch", "n"));
        graph.Output.Add(Value("y", DataType.Float, "rows", 3L));
        graph.Initializer.Add(Longs("shape", [-1, 3], 2));
        graph.Node.Add(Node("Reshape", ["x", "shape"], ["y"]));
        return Model(graph);
    }

    public static ValueInfoProto Value(string name, DataType type, params object[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (var dimension in dimensions)
        {
            shape.Dim.Add(dimension is string param
                ? new TensorShapeProto.Types.Dimension { DimParam = param }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dimension) });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static TensorProto Longs(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    private static byte[] Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "aigc-tests", Graph = graph, ModelVersion = 3, DocString = "test graph" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }
}
