using Onnx;
using static Aigc.Training.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Training;

/// <summary>
/// Rewrites a graph's weight matrices to int8 for one of the three int8 <see cref="OnnxQuantizationMethod"/>s: converts
/// each weight, then walks the nodes in order and replaces every product (and embedding gather) that reads a converted
/// weight, keeping each replaced node's output name so the rest of the graph is untouched.
/// </summary>
internal sealed class Int8GraphRewriter
{
    /// <summary>The contrib-op domain of <c>MatMulNBits</c>.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    private readonly GraphProto _graph;
    private readonly OnnxQuantizationOptions _options;
    private readonly OnnxGraphBuilder _g = new("quant_");
    private readonly Dictionary<string, QuantizableWeight> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _quantized = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _dynamicInputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dequantized = new(StringComparer.Ordinal);

    public Int8GraphRewriter(GraphProto graph, OnnxQuantizationOptions options)
    {
        _graph = graph;
        _options = options;
    }

    public List<string> QuantizedNodes { get; } = [];

    public List<string> Excluded { get; private set; } = [];

    /// <summary>Rewrites the graph; returns the initializers of the rewritten graph (converted float weights dropped).</summary>
    public List<OnnxInitializer> Rewrite(List<OnnxInitializer> initializers, IProgress<OnnxQuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        var (weights, excluded) = QuantizableWeights.Find(_graph, initializers, _options, CanGather);
        Excluded = excluded;
        for (var i = 0; i < weights.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var weight = weights[i];
            _weights[weight.Name] = weight;
            _quantized[weight.Name] = Encode(weight);
            progress?.Report(new OnnxQuantizationProgress(i + 1, weights.Count, weight.Name));
        }

        var uses = weights.SelectMany(w => w.Uses.Select(u => (u.Node, Weight: w))).ToDictionary(u => u.Node, u => u.Weight);
        var original = _graph.Node.ToList();
        foreach (var node in original)
        {
            if (!uses.TryGetValue(node, out var weight))
            {
                _g.Graph.Node.Add(node);
                continue;
            }

            if (node.OpType == "Gather")
            {
                Gather(node, weight);
            }
            else if (weight.RoleOf(node) == WeightRole.Transpose)
            {
                // Dropped: every product it fed reads the [N, K] codes (or the dequantized table) itself.
            }
            else
            {
                Product(node, weight);
                QuantizedNodes.Add(node.Name);
            }
        }

        _graph.Node.Clear();
        _graph.Node.AddRange(_g.Graph.Node);
        return initializers.Where(i => !_weights.ContainsKey(i.Proto.Name)).Concat(_g.Initializers).ToList();
    }

    /// <summary>The operators the rewritten graph computes converted weights with.</summary>
    public IReadOnlyList<string> Operators => _options.Method switch
    {
        OnnxQuantizationMethod.WeightOnlyInt8 => ["DequantizeLinear"],
        OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits => [MicrosoftDomain + ".MatMulNBits", "Gather", "Cast", "Sub", "Mul"],
        _ => ["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Gather"],
    };

    private bool CanGather(QuantizableWeight weight) => _options.Method switch
    {
        OnnxQuantizationMethod.WeightOnlyInt8 => true,
        OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits => weight.Transposed && weight.K % _options.BlockSize == 0,
        _ => !weight.Transposed || weight.Uses.Where(u => u.Role == WeightRole.Gather).All(u => IndicesRank(u.Node) is not null),
    };

    /// <summary>Writes the weight's int8 form as initializers; returns their names (codes, scales[, zero points]).</summary>
    private string[] Encode(QuantizableWeight weight)
    {
        var w = Int8WeightCodec.Floats(weight.Initializer.Data);
        var name = weight.Name;
        switch (_options.Method)
        {
            case OnnxQuantizationMethod.WeightOnlyInt8:
            {
                // Stored as it is; the output channel is axis 1 of [K, N] and axis 0 of a transposed [N, K].
                var (codes, scales) = Int8WeightCodec.PerChannel(w, weight.Rows, weight.Cols, perColumn: !weight.Transposed);
                return
                [
                    _g.Raw(name + "_quantized", DataType.Int8, [weight.Rows, weight.Cols], Int8WeightCodec.Bytes<sbyte>(codes)),
                    _g.Raw(name + "_scale", DataType.Float, [scales.Length], Int8WeightCodec.Bytes<float>(scales)),
                    _g.Raw(name + "_zero_point", DataType.Int8, [scales.Length], new byte[scales.Length]),
                ];
            }

            case OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits:
            {
                // MatMulNBits wants [N, K]: a MatMul's [K, N] weight is transposed first.
                var nk = weight.Transposed ? w : Int8WeightCodec.Transpose(w, weight.Rows, weight.Cols);
                var (codes, scales) = Int8WeightCodec.Blockwise(nk, weight.N, weight.K, _options.BlockSize);
                var blocks = scales.Length / weight.N;
                var zeroPoints = new byte[scales.Length];
                Array.Fill(zeroPoints, (byte)128);
                return
                [
                    _g.Raw(name + "_quantized", DataType.Uint8, [weight.N, blocks, _options.BlockSize], codes),
                    _g.Raw(name + "_scale", DataType.Float, [weight.N, blocks], Int8WeightCodec.Bytes<float>(scales)),
                    _g.Raw(name + "_zero_point", DataType.Uint8, [scales.Length], zeroPoints),
                ];
            }

            default:
            {
                // MatMulInteger wants [K, N] with one scale per column: a tied LM head's [N, K] is transposed first.
                var kn = weight.Transposed ? Int8WeightCodec.Transpose(w, weight.Rows, weight.Cols) : w;
                var (codes, scales) = Int8WeightCodec.PerChannel(kn, weight.K, weight.N, perColumn: true);
                return
                [
                    _g.Raw(name + "_quantized", DataType.Int8, [weight.K, weight.N], Int8WeightCodec.Bytes<sbyte>(codes)),
                    _g.Raw(name + "_scale", DataType.Float, [scales.Length], Int8WeightCodec.Bytes<float>(scales)),
                    _g.Raw(name + "_zero_point", DataType.Int8, [scales.Length], new byte[scales.Length]),
                ];
            }
        }
    }

    /// <summary>Replaces a <c>MatMul</c>/<c>Gemm</c> that reads a converted weight.</summary>
    private void Product(NodeProto node, QuantizableWeight weight)
    {
        var (codes, scales, zeroPoints) = (_quantized[weight.Name][0], _quantized[weight.Name][1], _quantized[weight.Name][2]);
        var scope = node.Name + "/quant";
        var a = node.Input[0];
        var output = node.Output[0];
        var bias = node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
        var product = bias is null ? output : scope + "/product";
        if (_options.Method == OnnxQuantizationMethod.WeightOnlyInt8)
        {
            if (weight.RoleOf(node) == WeightRole.TransposedMatMulB)
            {
                // ONNX Runtime does not fold DequantizeLinear at load, so a Transpose of its output would run every
                // step (it doubled the time of a decode step): read the dequantized [N, K] table with Gemm(transB)
                // over the flattened rows, and restore the leading axes.
                var flat = _g.Node("Reshape", scope, [a, _g.Int64([-1, weight.K])]);
                var gemm = _g.Node("Gemm", scope, [flat, Dequantized(weight)], Attribute("transB", 1L));
                var lead = _g.Node("Slice", scope, [_g.Node("Shape", scope, [a]), _g.Int64([0]), _g.Int64([-1])]);
                var shape = _g.Node("Concat", scope, [lead, _g.Int64([weight.N])], Attribute("axis", 0L));
                _g.NamedNode("Reshape", scope + "/output", [gemm, shape], output);
                return;
            }

            // The node stays (a Gemm adds its C itself); only its weight now comes from DequantizeLinear.
            var copy = node.Clone();
            copy.Input[1] = Dequantized(weight);
            _g.Graph.Node.Add(copy);
            return;
        }

        switch (_options.Method)
        {
            case OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits:
                _g.NamedNode("MatMulNBits", scope, [a, codes, scales, zeroPoints], product,
                    Attribute("K", (long)weight.K), Attribute("N", (long)weight.N), Attribute("bits", 8L),
                    Attribute("block_size", (long)_options.BlockSize), Attribute("accuracy_level", (long)_options.MatMulNBitsAccuracyLevel));
                _g.Graph.Node[^1].Domain = MicrosoftDomain;
                break;

            default:
            {
                // ONNX Runtime's dynamic layout: DynamicQuantizeLinear → MatMulInteger → Cast → Mul(a_scale · b_scale).
                if (!_dynamicInputs.TryGetValue(a, out var q))
                {
                    _dynamicInputs[a] = q = _g.Node("DynamicQuantizeLinear", scope, [a], 3);
                }

                var integer = _g.Node("MatMulInteger", scope, [q[0], codes, q[2], zeroPoints]);
                var real = _g.Node("Cast", scope, [integer], Attribute("to", (long)DataType.Float));
                var scale = _g.Node("Mul", scope + "/scale", [q[1], scales]);
                _g.NamedNode("Mul", scope, [real, scale], product);
                break;
            }
        }

        if (bias is not null)
        {
            // Gemm's C, added after the product.
            _g.NamedNode("Add", scope, [product, bias], output);
        }
    }

    /// <summary>Replaces an embedding <c>Gather</c> from a converted table: gathers the int8 rows, then dequantizes only them.</summary>
    private void Gather(NodeProto node, QuantizableWeight weight)
    {
        var (codes, scales) = (_quantized[weight.Name][0], _quantized[weight.Name][1]);
        var scope = node.Name + "/quant";
        var ids = node.Input[1];
        var output = node.Output[0];
        switch (_options.Method)
        {
            case OnnxQuantizationMethod.WeightOnlyInt8:
            {
                var copy = node.Clone();
                copy.Input[0] = Dequantized(weight);
                _g.Graph.Node.Add(copy);
                return;
            }

            case OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits:
            {
                // Rows of [N, blocks, block] codes around 128, times their [N, blocks] scales, flattened to [..., K].
                var rows = _g.Node("Cast", scope, [_g.Node("Gather", scope, [codes, ids])], Attribute("to", (long)DataType.Float));
                var centred = _g.Node("Sub", scope, [rows, _g.Float(128f)]);
                var rowScales = _g.Node("Unsqueeze", scope, [_g.Node("Gather", scope + "/scale", [scales, ids]), _g.Int64([-1])]);
                var values = _g.Node("Mul", scope, [centred, rowScales]);
                var shape = _g.Node("Concat", scope, [_g.Node("Shape", scope, [ids]), _g.Int64([weight.K])], Attribute("axis", 0L));
                _g.NamedNode("Reshape", scope, [values, shape], output);
                return;
            }

            default:
                if (!weight.Transposed)
                {
                    // [K, N] codes with one scale per column: a gathered row scales by the column scales.
                    var row = _g.Node("Cast", scope, [_g.Node("Gather", scope, [codes, ids])], Attribute("to", (long)DataType.Float));
                    _g.NamedNode("Mul", scope, [row, scales], output);
                    return;
                }

                // A tied table stored transposed [K, N]: gather columns (axis 1), scale each by its own scale, move K last.
                var rank = IndicesRank(node)!.Value;
                var columns = _g.Node("Cast", scope, [_g.Node("Gather", scope, [codes, ids], Attribute("axis", 1L))], Attribute("to", (long)DataType.Float));
                var scaled = _g.Node("Mul", scope, [columns, _g.Node("Gather", scope + "/scale", [scales, ids])]);
                var perm = Enumerable.Range(1, rank).Select(i => (long)i).Append(0L).ToArray();
                _g.NamedNode("Transpose", scope, [scaled], output, Attribute("perm", perm));
                return;
        }
    }

    /// <summary>The float weight from its int8 codes (weight-only path), one <c>DequantizeLinear</c> per weight, shared by its readers.</summary>
    private string Dequantized(QuantizableWeight weight)
    {
        var name = weight.Name + "_dequantized";
        if (!_dequantized.Add(name))
        {
            return name;
        }

        var q = _quantized[weight.Name];
        _g.NamedNode("DequantizeLinear", "/" + weight.Name + "/quant", [q[0], q[1], q[2]], name, Attribute("axis", weight.Transposed ? 0L : 1L));
        return name;
    }

    /// <summary>The rank of a gather's indices when they are a graph input with a known shape.</summary>
    private int? IndicesRank(NodeProto gather) =>
        _graph.Input.FirstOrDefault(i => i.Name == gather.Input[1]) is { Type.TensorType.Shape: { } shape } ? shape.Dim.Count : null;
}
