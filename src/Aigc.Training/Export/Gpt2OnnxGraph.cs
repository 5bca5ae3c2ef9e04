using System.Globalization;
using Onnx;
using static Aigc.Training.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Aigc.Training;

/// <summary>
/// Writes a <see cref="Gpt2LanguageModel"/>'s forward pass as an ONNX graph in the Optimum convention, op for op as
/// the TorchSharp model computes it (plain opset-17 operators, no contrib ops), with LoRA inputs where asked.
/// </summary>
internal sealed class Gpt2OnnxGraph
{
    private readonly Gpt2LanguageModel _model;
    private readonly Gpt2Config _config;
    private readonly IReadOnlyDictionary<string, OnnxLoraInput> _lora;
    private readonly OnnxGraphBuilder _g = new();

    private readonly bool _perRow;

    private Gpt2OnnxGraph(Gpt2LanguageModel model, IReadOnlyList<OnnxLoraInput> lora, bool perRow)
    {
        _model = model;
        _perRow = perRow;
        _config = model.Config;
        _lora = lora.ToDictionary(l => l.ModulePath, StringComparer.Ordinal);
    }

    /// <summary>Builds the graph.</summary>
    /// <param name="model">The model.</param>
    /// <param name="lora">The layers that take LoRA inputs.</param>
    /// <param name="perRow">Whether they take stacked adapter slots chosen per row (<see cref="OnnxLoraInputs.PerRowAdapters"/>).</param>
    public static OnnxGraphBuilder Build(Gpt2LanguageModel model, IReadOnlyList<OnnxLoraInput> lora, bool perRow = false)
    {
        var graph = new Gpt2OnnxGraph(model, lora, perRow);
        graph.Build();
        return graph._g;
    }

    private void Build()
    {
        const string Batch = OnnxExporter.BatchDimension;
        const string Sequence = OnnxExporter.SequenceDimension;
        const string Past = OnnxExporter.PastSequenceDimension;
        const string Total = OnnxExporter.TotalSequenceDimension;
        var headSize = _config.HeadSize;

        _g.Input(OnnxExporter.InputIdsName, DataType.Int64, Batch, Sequence);
        _g.Input(OnnxExporter.AttentionMaskName, DataType.Int64, Batch, Total);
        _g.Input(OnnxExporter.PositionIdsName, DataType.Int64, Batch, Sequence);
        for (var i = 0; i < _config.Layers; i++)
        {
            _g.Input(OnnxExporter.PastKeyName(i), DataType.Float, Batch, _config.HeadsInLayer(i), Past, headSize);
            _g.Input(OnnxExporter.PastValueName(i), DataType.Float, Batch, _config.HeadsInLayer(i), Past, headSize);
        }

        var parameters = _model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var wte = _g.Weight("transformer.wte.weight", parameters["transformer.wte.weight"]);
        var wpe = _g.Weight("transformer.wpe.weight", parameters["transformer.wpe.weight"]);

        // Embeddings: wte[input_ids] + wpe[position_ids].
        var hidden = _g.Node("Add", "/transformer", [
            _g.Node("Gather", "/transformer/wte", [wte, OnnxExporter.InputIdsName]),
            _g.Node("Gather", "/transformer/wpe", [wpe, OnnxExporter.PositionIdsName]),
        ]);

        var mask = BuildMask();
        for (var i = 0; i < _config.Layers; i++)
        {
            hidden = Block(i, hidden, mask, parameters, _config.HeadsInLayer(i), headSize);
        }

        hidden = LayerNorm("/transformer/ln_f", "transformer.ln_f", hidden, parameters);

        // Only the last logits_to_keep positions reach the LM head (0, the default, keeps them all): Slice from -N.
        _g.Input(OnnxExporter.LogitsToKeepName, DataType.Int64, 1);
        _g.Int64Initializer(OnnxExporter.LogitsToKeepName, [0]);
        var keepFrom = _g.Node("Neg", "/lm_head", [OnnxExporter.LogitsToKeepName]);
        hidden = _g.Node("Slice", "/lm_head", [hidden, keepFrom, _g.Int64([long.MaxValue]), _g.Int64([1])]);

        // Tied LM head: logits = hidden · wteᵀ, one MatMul over [batch, kept, embd] that writes the logits output
        // itself; wte is stored once and ONNX Runtime folds its Transpose at load. (A Gemm takes 2-D input only, and the
        // Reshape back to [batch, kept, vocab] after it copied every logit into the caller's buffer: a quarter of a
        // 16-row decode step of a small model with the GPT-2 vocabulary.)
        var wteT = _g.Node("Transpose", "/lm_head", [wte], Attribute("perm", new long[] { 1, 0 }));
        _g.NamedNode("MatMul", "/lm_head", [hidden, wteT], OnnxExporter.LogitsName);
        _g.Output(OnnxExporter.LogitsName, DataType.Float, Batch, OnnxExporter.LogitsSequenceDimension, _config.VocabSize);
        for (var i = 0; i < _config.Layers; i++)
        {
            _g.Output(OnnxExporter.PresentKeyName(i), DataType.Float, Batch, _config.HeadsInLayer(i), Total, headSize);
            _g.Output(OnnxExporter.PresentValueName(i), DataType.Float, Batch, _config.HeadsInLayer(i), Total, headSize);
        }

        // LoRA matrices: graph inputs with zero defaults (overridable initializers), the rank dimension symbolic.
        if (_perRow && _lora.Count > 0)
        {
            _g.Input(OnnxLoraInputs.AdapterIdsName, DataType.Int64, Batch);
            _g.Int64Initializer(OnnxLoraInputs.AdapterIdsName, [0]);
            foreach (var lora in _lora.Values)
            {
                var stackedA = lora.LoraAName + OnnxLoraInputs.StackedSuffix;
                var stackedB = lora.LoraBName + OnnxLoraInputs.StackedSuffix;
                _g.Input(stackedA, DataType.Float, OnnxLoraInputs.SlotsDimension, lora.RankDimension, lora.InFeatures);
                _g.Input(stackedB, DataType.Float, OnnxLoraInputs.SlotsDimension, lora.OutFeatures, lora.RankDimension);
                _g.Zeros(stackedA, [1, 0, lora.InFeatures]);
                _g.Zeros(stackedB, [1, lora.OutFeatures, 0]);
            }

            return;
        }

        foreach (var lora in _lora.Values)
        {
            _g.Input(lora.LoraAName, DataType.Float, lora.RankDimension, lora.InFeatures);
            _g.Input(lora.LoraBName, DataType.Float, lora.OutFeatures, lora.RankDimension);
            _g.Zeros(lora.LoraAName, [0, lora.InFeatures]);
            _g.Zeros(lora.LoraBName, [lora.OutFeatures, 0]);
        }
    }

    /// <summary>
    /// The additive mask of <see cref="Gpt2LanguageModel"/>'s BuildMask: key k is visible to query q when
    /// k ≤ past + q and attention_mask[b, k] is 1; visible → 0, blocked → float.MinValue; shape [batch, 1, seq, past+seq].
    /// </summary>
    private string BuildMask()
    {
        const string Scope = "/transformer/mask";
        var sequence = _g.Node("Squeeze", Scope, [_g.Node("Shape", Scope, [OnnxExporter.InputIdsName], Attribute("start", 1L), Attribute("end", 2L)), _g.Int64([0])]);
        var total = _g.Node("Squeeze", Scope, [_g.Node("Shape", Scope, [OnnxExporter.AttentionMaskName], Attribute("start", 1L), Attribute("end", 2L)), _g.Int64([0])]);
        var past = _g.Node("Sub", Scope, [total, sequence]);
        var one = _g.Int64([1], scalar: true);
        var keys = _g.Node("Unsqueeze", Scope, [_g.Node("Range", Scope, [_g.Int64([0], scalar: true), total, one]), _g.Int64([0])]);
        var queries = _g.Node("Unsqueeze", Scope, [_g.Node("Range", Scope, [past, total, one]), _g.Int64([1])]);
        var causal = _g.Node("LessOrEqual", Scope, [keys, queries]);
        var padding = _g.Node("Unsqueeze", Scope, [_g.Node("Cast", Scope, [OnnxExporter.AttentionMaskName], Attribute("to", (long)DataType.Bool)), _g.Int64([1, 2])]);
        var allowed = _g.Node("And", Scope, [causal, padding]);
        return _g.Node("Where", Scope, [allowed, _g.Float(0f), _g.Float(float.MinValue)]);
    }

    private string Block(int layer, string hidden, string mask, IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> parameters, int heads, int headSize)
    {
        var prefix = "transformer.h." + layer.ToString(CultureInfo.InvariantCulture);
        var scope = "/" + prefix.Replace('.', '/');
        var width = heads * headSize; // n_embd, or less when heads were pruned

        // Attention.
        var x = LayerNorm(scope + "/ln_1", prefix + ".ln_1", hidden, parameters);
        var qkv = Linear(scope + "/attn/c_attn", prefix + ".attn.c_attn", x, parameters);
        var parts = _g.Node("Split", scope + "/attn", [qkv, _g.Int64([width, width, width])], 3, Attribute("axis", 2L));
        var headShape = _g.Int64([0, 0, heads, headSize]);
        string Heads(string t) => _g.Node("Transpose", scope + "/attn", [_g.Node("Reshape", scope + "/attn", [t, headShape])], Attribute("perm", new long[] { 0, 2, 1, 3 }));
        var query = Heads(parts[0]);
        var key = Heads(parts[1]);
        var value = Heads(parts[2]);
        _g.NamedNode("Concat", scope + "/attn/present_key", [OnnxExporter.PastKeyName(layer), key], OnnxExporter.PresentKeyName(layer), Attribute("axis", 2L));
        _g.NamedNode("Concat", scope + "/attn/present_value", [OnnxExporter.PastValueName(layer), value], OnnxExporter.PresentValueName(layer), Attribute("axis", 2L));
        var keyT = _g.Node("Transpose", scope + "/attn", [OnnxExporter.PresentKeyName(layer)], Attribute("perm", new long[] { 0, 1, 3, 2 }));
        var scores = _g.Node("MatMul", scope + "/attn", [query, keyT]);
        scores = _g.Node("Div", scope + "/attn", [scores, _g.Float((float)Math.Sqrt(headSize))]);
        scores = _g.Node("Add", scope + "/attn", [scores, mask]);
        var weights = _g.Node("Softmax", scope + "/attn", [scores], Attribute("axis", -1L));
        var context = _g.Node("MatMul", scope + "/attn", [weights, OnnxExporter.PresentValueName(layer)]);
        context = _g.Node("Transpose", scope + "/attn", [context], Attribute("perm", new long[] { 0, 2, 1, 3 }));
        context = _g.Node("Reshape", scope + "/attn", [context, _g.Int64([0, 0, width])]);
        var attention = Linear(scope + "/attn/c_proj", prefix + ".attn.c_proj", context, parameters);
        hidden = _g.Node("Add", scope, [hidden, attention]);

        // MLP.
        x = LayerNorm(scope + "/ln_2", prefix + ".ln_2", hidden, parameters);
        var inner = GeluNew(scope + "/mlp/act", Linear(scope + "/mlp/c_fc", prefix + ".mlp.c_fc", x, parameters));
        var mlp = Linear(scope + "/mlp/c_proj", prefix + ".mlp.c_proj", inner, parameters);
        return _g.Node("Add", scope, [hidden, mlp]);
    }

    private string LayerNorm(string scope, string path, string x, IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> parameters)
    {
        var weight = _g.Weight(path + ".weight", parameters[path + ".weight"]);
        var bias = _g.Weight(path + ".bias", parameters[path + ".bias"]);
        return _g.Node("LayerNormalization", scope, [x, weight, bias], Attribute("axis", -1L), Attribute("epsilon", (float)_config.LayerNormEpsilon));
    }

    /// <summary>Conv1D: x·W + b, plus (x·Aᵀ)·Bᵀ when the layer takes LoRA inputs (B carries the scaling).</summary>
    private string Linear(string scope, string path, string x, IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> parameters)
    {
        var weight = _g.Weight(path + ".weight", parameters[path + ".weight"]);
        var bias = _g.Weight(path + ".bias", parameters[path + ".bias"]);
        var y = _g.Node("Add", scope, [_g.Node("MatMul", scope, [x, weight]), bias]);
        if (!_lora.TryGetValue(path, out var lora))
        {
            return y;
        }

        var loraScope = scope + "/lora";
        if (_perRow)
        {
            // Each row's slot: A [batch, r, in] and B [batch, out, r] gathered by adapter_ids, then batched MatMuls.
            var rowA = _g.Node("Gather", loraScope, [lora.LoraAName + OnnxLoraInputs.StackedSuffix, OnnxLoraInputs.AdapterIdsName], Attribute("axis", 0L));
            var rowB = _g.Node("Gather", loraScope, [lora.LoraBName + OnnxLoraInputs.StackedSuffix, OnnxLoraInputs.AdapterIdsName], Attribute("axis", 0L));
            var rowAt = _g.Node("Transpose", loraScope, [rowA], Attribute("perm", new long[] { 0, 2, 1 }));
            var rowBt = _g.Node("Transpose", loraScope, [rowB], Attribute("perm", new long[] { 0, 2, 1 }));
            var rowDelta = _g.Node("MatMul", loraScope, [_g.Node("MatMul", loraScope, [x, rowAt]), rowBt]);
            return _g.Node("Add", loraScope, [y, rowDelta]);
        }

        var a = _g.Node("Transpose", loraScope, [lora.LoraAName], Attribute("perm", new long[] { 1, 0 }));
        var b = _g.Node("Transpose", loraScope, [lora.LoraBName], Attribute("perm", new long[] { 1, 0 }));
        var delta = _g.Node("MatMul", loraScope, [_g.Node("MatMul", loraScope, [x, a]), b]);
        return _g.Node("Add", loraScope, [y, delta]);
    }

    /// <summary>gelu_new as the TorchSharp model computes it: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    private string GeluNew(string scope, string x)
    {
        var cube = _g.Node("Mul", scope, [_g.Node("Pow", scope, [x, _g.Float(3f)]), _g.Float(0.044715f)]);
        var inner = _g.Node("Mul", scope, [_g.Node("Add", scope, [x, cube]), _g.Float((float)Math.Sqrt(2.0 / Math.PI))]);
        var gate = _g.Node("Add", scope, [_g.Node("Tanh", scope, [inner]), _g.Float(1f)]);
        return _g.Node("Mul", scope, [_g.Node("Mul", scope, [x, _g.Float(0.5f)]), gate]);
    }
}
