using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Training;

/// <summary>How a node reads a weight matrix.</summary>
internal enum WeightRole
{
    /// <summary>As the B of a <c>MatMul</c>, or of a <c>Gemm</c> without <c>transB</c>: the weight is [K, N].</summary>
    MatMulB,

    /// <summary>As the B of a <c>Gemm</c> with <c>transB</c> (a tied LM head): the weight is [N, K].</summary>
    GemmTransposedB,

    /// <summary>As the table of a <c>Gather</c> on axis 0 (an embedding).</summary>
    Gather,

    /// <summary>Any other way (or an excluded node): the node needs the float weight.</summary>
    Other,
}

/// <summary>A float matrix initializer read by matrix products, and every node that reads it.</summary>
internal sealed record QuantizableWeight(OnnxInitializer Initializer, int Rows, int Cols, IReadOnlyList<(NodeProto Node, WeightRole Role)> Uses)
{
    public string Name => Initializer.Proto.Name;

    /// <summary>Gets whether the weight is [N, K] (read by a <c>Gemm</c> with <c>transB</c>) rather than [K, N].</summary>
    public bool Transposed => Uses.Any(u => u.Role == WeightRole.GemmTransposedB);

    /// <summary>Gets the input features (K).</summary>
    public int K => Transposed ? Cols : Rows;

    /// <summary>Gets the output features (N).</summary>
    public int N => Transposed ? Rows : Cols;

    public IEnumerable<NodeProto> Products => Uses.Where(u => u.Role is WeightRole.MatMulB or WeightRole.GemmTransposedB).Select(u => u.Node);
}

/// <summary>Finds the weights a quantizer may convert: float 2-D initializers (not graph inputs) read by <c>MatMul</c>/<c>Gemm</c>.</summary>
internal static class QuantizableWeights
{
    /// <summary>Returns the convertible weights and the product nodes that keep float weights (excluded, or reading a weight that cannot convert).</summary>
    public static (List<QuantizableWeight> Weights, List<string> Excluded) Find(
        GraphProto graph, IReadOnlyList<OnnxInitializer> initializers, OnnxQuantizationOptions options, Func<QuantizableWeight, bool> canGather)
    {
        var inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var excludedNames = options.ExcludedNodes.ToHashSet(StringComparer.Ordinal);
        var candidates = initializers
            .Where(i => i.Proto.DataType == (int)DataType.Float && i.Proto.Dims.Count == 2 && !inputs.Contains(i.Proto.Name))
            .ToDictionary(i => i.Proto.Name, StringComparer.Ordinal);
        var uses = new Dictionary<string, List<(NodeProto, WeightRole)>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (!candidates.ContainsKey(node.Input[i]))
                {
                    continue;
                }

                var role = Role(node, i);
                if (role != WeightRole.Gather && excludedNames.Contains(node.Name))
                {
                    role = WeightRole.Other;
                }

                if (!uses.TryGetValue(node.Input[i], out var list))
                {
                    uses[node.Input[i]] = list = [];
                }

                list.Add((node, role));
            }
        }

        var weights = new List<QuantizableWeight>();
        var excluded = new List<string>();
        foreach (var (name, list) in uses)
        {
            var initializer = candidates[name];
            var weight = new QuantizableWeight(initializer, (int)initializer.Proto.Dims[0], (int)initializer.Proto.Dims[1], list);
            var products = list.Where(u => u.Item2 is WeightRole.MatMulB or WeightRole.GemmTransposedB).Select(u => u.Item2).Distinct().Count();
            var convertible = products == 1
                && !list.Any(u => u.Item2 == WeightRole.Other)
                && (long)weight.Rows * weight.Cols >= options.MinimumWeightElements
                && (!list.Any(u => u.Item2 == WeightRole.Gather) || canGather(weight));
            if (convertible)
            {
                weights.Add(weight);
            }
            else
            {
                excluded.AddRange(list.Where(u => u.Item1.OpType is "MatMul" or "Gemm").Select(u => u.Item1.Name));
            }
        }

        return (weights, excluded.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Gets an int attribute, or a default when the node does not set it.</summary>
    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static WeightRole Role(NodeProto node, int input)
    {
        switch (node.OpType)
        {
            case "MatMul" when input == 1 && node.Domain.Length == 0:
                return WeightRole.MatMulB;
            case "Gemm" when input == 1 && node.Domain.Length == 0 && Int(node, "transA", 0) == 0 && Float(node, "alpha") == 1f && Float(node, "beta") == 1f:
                return Int(node, "transB", 0) == 1 ? WeightRole.GemmTransposedB : WeightRole.MatMulB;
            case "Gather" when input == 0 && node.Domain.Length == 0 && Int(node, "axis", 0) == 0:
                return WeightRole.Gather;
            default:
                return WeightRole.Other;
        }
    }

    private static float Float(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : 1f;
}
