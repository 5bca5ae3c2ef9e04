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

    /// <summary>As the B of a <c>MatMul</c> through a 2-D <c>Transpose</c> of the weight (a tied LM head): the weight is [N, K].</summary>
    TransposedMatMulB,

    /// <summary>As the input of that <c>Transpose</c>, whose output only such products read.</summary>
    Transpose,

    /// <summary>As the table of a <c>Gather</c> on axis 0 (an embedding).</summary>
    Gather,

    /// <summary>Any other way (or an excluded node): the node needs the float weight.</summary>
    Other,
}

/// <summary>A float matrix initializer read by matrix products, and every node that reads it.</summary>
internal sealed record QuantizableWeight(OnnxInitializer Initializer, int Rows, int Cols, IReadOnlyList<(NodeProto Node, WeightRole Role)> Uses)
{
    public string Name => Initializer.Proto.Name;

    /// <summary>Gets whether the weight is [N, K] (read by a <c>Gemm</c> with <c>transB</c>, or a <c>MatMul</c> through a <c>Transpose</c>) rather than [K, N].</summary>
    public bool Transposed => Uses.Any(u => u.Role is WeightRole.GemmTransposedB or WeightRole.TransposedMatMulB);

    /// <summary>Gets how <paramref name="node"/> reads the weight.</summary>
    public WeightRole RoleOf(NodeProto node) => Uses.First(u => ReferenceEquals(u.Node, node)).Role;

    /// <summary>Gets the input features (K).</summary>
    public int K => Transposed ? Cols : Rows;

    /// <summary>Gets the output features (N).</summary>
    public int N => Transposed ? Rows : Cols;

    public IEnumerable<NodeProto> Products => Uses.Where(u => IsProduct(u.Role)).Select(u => u.Node);

    /// <summary>Gets whether a role is a matrix product's.</summary>
    public static bool IsProduct(WeightRole role) => role is WeightRole.MatMulB or WeightRole.GemmTransposedB or WeightRole.TransposedMatMulB;
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
        var transposes = ProductTransposes(graph, candidates);
        var uses = new Dictionary<string, List<(NodeProto, WeightRole)>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                WeightRole role;
                string weightName;
                if (candidates.ContainsKey(node.Input[i]))
                {
                    weightName = node.Input[i];
                    role = node.OpType == "Transpose" && transposes.ContainsKey(node.Output[0]) ? WeightRole.Transpose : Role(node, i);
                }
                else if (transposes.TryGetValue(node.Input[i], out var transposed))
                {
                    weightName = transposed;
                    role = WeightRole.TransposedMatMulB;
                }
                else
                {
                    continue;
                }

                if (role is not (WeightRole.Gather or WeightRole.Transpose) && excludedNames.Contains(node.Name))
                {
                    role = WeightRole.Other;
                }

                if (!uses.TryGetValue(weightName, out var list))
                {
                    uses[weightName] = list = [];
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
            var products = list.Where(u => QuantizableWeight.IsProduct(u.Item2)).Select(u => u.Item2).Distinct().Count();
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

    /// <summary>
    /// The outputs of 2-D <c>Transpose</c>s of a candidate that only <c>MatMul</c>s read, as their B (how a tied LM head
    /// reads the embedding table), each with the candidate's name.
    /// </summary>
    private static Dictionary<string, string> ProductTransposes(GraphProto graph, Dictionary<string, OnnxInitializer> candidates)
    {
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var readers = graph.Node
            .SelectMany(n => n.Input.Select((input, index) => (Input: input, Node: n, Index: index)))
            .ToLookup(r => r.Input, StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.OpType != "Transpose" || node.Domain.Length != 0 || node.Input.Count != 1 || node.Output.Count != 1
                || !candidates.ContainsKey(node.Input[0]) || graphOutputs.Contains(node.Output[0]))
            {
                continue;
            }

            var perm = node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints;
            var output = node.Output[0];
            if ((perm is null || perm.SequenceEqual([1L, 0L]))
                && readers[output].Any()
                && readers[output].All(r => r.Node.OpType == "MatMul" && r.Node.Domain.Length == 0 && r.Index == 1))
            {
                result[output] = node.Input[0];
            }
        }

        return result;
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
