using Aigc.Inference.Tests.Fixtures;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Inference.Tests.Routing;

/// <summary>
/// Model versions whose answers say which version produced them: <c>x</c> float [batch, Width] → <c>y</c> =
/// MatMul(x, W) + Mark [batch, Width], with W a seeded random [Width, Width] weight (4 MB, so a leaked session shows in
/// the process's memory) and every element of Mark the version's mark. A request of zeros gets exactly Mark back.
/// </summary>
internal static class VersionedGraphs
{
    public const int Width = 1024;

    public static byte[] Marked(float mark, int seed)
    {
        var graph = new GraphProto { Name = "marked" };
        graph.Input.Add(TestGraphs.Value("x", DataType.Float, "batch", (long)Width));
        graph.Output.Add(TestGraphs.Value("y", DataType.Float, "batch", (long)Width));
        var weights = new float[Width * Width];
        var random = new Random(seed);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextDouble() - 0.5);
        }

        graph.Initializer.Add(Raw("w", weights, Width, Width));
        graph.Initializer.Add(Raw("mark", Enumerable.Repeat(mark, Width).ToArray(), Width));
        graph.Node.Add(Node("MatMul", ["x", "w"], ["product"]));
        graph.Node.Add(Node("Add", ["product", "mark"], ["y"]));
        var model = new ModelProto { IrVersion = 8, ProducerName = "aigc-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }

    /// <summary>A request of <paramref name="rows"/> zero rows: the answer is the serving version's mark.</summary>
    public static InferenceRequest Zeros(int rows = 1) =>
        new InferenceRequest().Add("x", InferenceTensor.Create<float>(new float[rows * Width], rows, Width));

    /// <summary>The mark a result carries, after checking every element of it is the same.</summary>
    public static float MarkOf(InferenceResult result)
    {
        var y = result.GetOutput<float>("y").Span;
        var mark = y[0];
        foreach (var value in y)
        {
            if (value != mark)
            {
                return float.NaN;
            }
        }

        return mark;
    }

    private static TensorProto Raw(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}
