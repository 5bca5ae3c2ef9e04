using Onnx;
using static Aigc.Training.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Training;

/// <summary>
/// Rewrites a float32 graph to float16 weights and compute with a float32 interface: float initializers become float16
/// (clamped to ±65504, so a float.MinValue mask stays finite), <c>Cast</c>/<c>Constant</c> nodes that make float make
/// float16, float graph inputs are cast to float16 where they enter and float outputs back to float32 where they leave.
/// </summary>
internal static class Float16GraphRewriter
{
    private const float Max = 65504f;

    /// <summary>Rewrites the graph; returns its initializers (the converted ones replaced) and the names of converted weights.</summary>
    public static (List<OnnxInitializer> Initializers, List<string> Converted) Rewrite(
        GraphProto graph, List<OnnxInitializer> initializers, IProgress<OnnxQuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        var inputs = graph.Input.Where(i => i.Type.TensorType.ElemType == (int)DataType.Float).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var outputs = graph.Output.Where(o => o.Type.TensorType.ElemType == (int)DataType.Float).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var result = new List<OnnxInitializer>(initializers.Count);
        var converted = new List<string>();
        var total = initializers.Count(i => i.Proto.DataType == (int)DataType.Float && !inputs.Contains(i.Proto.Name));
        foreach (var initializer in initializers)
        {
            // An initializer that is also a graph input (an overridable default) keeps the input's float32 type.
            if (initializer.Proto.DataType != (int)DataType.Float || inputs.Contains(initializer.Proto.Name))
            {
                result.Add(initializer);
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var proto = initializer.Proto.Clone();
            proto.DataType = (int)DataType.Float16;
            result.Add(new OnnxInitializer(proto, null, Half(Int8WeightCodec.Floats(initializer.Data))));
            converted.Add(proto.Name);
            progress?.Report(new OnnxQuantizationProgress(converted.Count, total, proto.Name));
        }

        var g = new OnnxGraphBuilder("fp16_");
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var half = input + "_fp16";
            g.NamedNode("Cast", "/" + input + "/fp16", [input], half, Attribute("to", (long)DataType.Float16));
            renamed[input] = half;
        }

        foreach (var node in graph.Node)
        {
            var copy = node.Clone();
            for (var i = 0; i < copy.Input.Count; i++)
            {
                if (renamed.TryGetValue(copy.Input[i], out var name))
                {
                    copy.Input[i] = name;
                }
            }

            for (var i = 0; i < copy.Output.Count; i++)
            {
                if (outputs.Contains(copy.Output[i]))
                {
                    copy.Output[i] += "_fp16";
                }
            }

            ToHalf(copy);
            g.Graph.Node.Add(copy);
        }

        foreach (var output in outputs)
        {
            g.NamedNode("Cast", "/" + output + "/fp32", [output + "_fp16"], output, Attribute("to", (long)DataType.Float));
        }

        // Graph outputs that are also read inside the graph (present.* feed the attention) are read in float16.
        foreach (var node in g.Graph.Node)
        {
            if (node.OpType == "Cast" && node.Output.Count == 1 && outputs.Contains(node.Output[0]))
            {
                continue;
            }

            for (var i = 0; i < node.Input.Count; i++)
            {
                if (outputs.Contains(node.Input[i]))
                {
                    node.Input[i] += "_fp16";
                }
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(g.Graph.Node);
        graph.ValueInfo.Clear();
        return (result, converted);
    }

    /// <summary>Makes a node that produces float produce float16 (<c>Cast</c> targets, <c>Constant</c> and <c>ConstantOfShape</c> values).</summary>
    private static void ToHalf(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == (long)DataType.Float)
            {
                attribute.I = (long)DataType.Float16;
            }
            else if (attribute.Type == AttributeProto.Types.AttributeType.Tensor && attribute.T.DataType == (int)DataType.Float)
            {
                var values = attribute.T.RawData.IsEmpty ? attribute.T.FloatData.ToArray() : Int8WeightCodec.Floats(attribute.T.RawData.Span).ToArray();
                attribute.T.FloatData.Clear();
                attribute.T.DataType = (int)DataType.Float16;
                attribute.T.RawData = Google.Protobuf.ByteString.CopyFrom(Half(values));
            }
        }
    }

    private static byte[] Half(ReadOnlySpan<float> values)
    {
        var half = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            half[i] = (Half)Math.Clamp(values[i], -Max, Max);
        }

        return Int8WeightCodec.Bytes<Half>(half);
    }
}
