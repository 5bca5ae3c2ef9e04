using Google.Protobuf;
using System.Text.Json;
using Aigc.Training.Tests.Export;
using Onnx;
using Xunit.Abstractions;

namespace Aigc.Training.Tests.Quantization;

public sealed class OnnxQuantizerTests(ITestOutputHelper output)
{
    /// <summary>
    /// Logit tolerance, relative to the largest float32 logit: int8 symmetric per-channel codes carry up to half a
    /// step (max|w|/254) of error per weight; through the random test model's 2 layers that stays under 6 % of the
    /// logit range (measured 2.5–4.2 % for this seed, whose weights are 2–3× larger than a trained model's); float16 stays under 1 % (measured 0.1 %).
    /// </summary>
    public static TheoryData<OnnxQuantizationMethod, float> Methods => new()
    {
        { OnnxQuantizationMethod.WeightOnlyInt8, 0.06f },
        { OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits, 0.06f },
        { OnnxQuantizationMethod.DynamicInt8, 0.06f },
        { OnnxQuantizationMethod.Float16, 0.01f },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Quantized_logits_and_cache_stay_within_tolerance_of_float32_on_random_inputs_at_ORT_ENABLE_ALL(OnnxQuantizationMethod method, float tolerance)
    {
        using var folder = OnnxTestModels.Folder(output, "quantized-" + method);
        using var model = OnnxTestModels.Create(seed: 31);
        var source = folder.File("model.onnx");
        OnnxExporter.Export(model, source);
        var path = folder.File("model-" + method + ".onnx");

        var result = new OnnxQuantizer().Quantize(source, path, new OnnxQuantizationOptions { Method = method, MinimumWeightElements = 64, BlockSize = 32 });

        using var fp32 = new OrtDecoder(source);
        using var quantized = new OrtDecoder(path);
        Assert.Equal(fp32.Session.InputNames, quantized.Session.InputNames);
        Assert.Equal(fp32.Session.OutputNames, quantized.Session.OutputNames);
        Assert.All(quantized.Session.InputMetadata.Concat(quantized.Session.OutputMetadata), m =>
            Assert.Equal(fp32.Session.InputMetadata.Concat(fp32.Session.OutputMetadata).First(f => f.Key == m.Key).Value.ElementDataType, m.Value.ElementDataType));

        var random = new Random(5);
        const int Batch = 2, Prefix = 6, Total = 10;
        var ids = new long[Batch, Total];
        var mask = new long[Batch, Total];
        var positions = new long[Batch, Total];
        for (var b = 0; b < Batch; b++)
        {
            for (var t = 0; t < Total; t++)
            {
                (ids[b, t], mask[b, t], positions[b, t]) = (random.Next(97), 1, t);
            }
        }

        var expectedPrefix = fp32.Run(Slice(ids, 0, Prefix), Slice(mask, 0, Prefix), Slice(positions, 0, Prefix));
        var actualPrefix = quantized.Run(Slice(ids, 0, Prefix), Slice(mask, 0, Prefix), Slice(positions, 0, Prefix));
        var expected = fp32.Run(Slice(ids, Prefix, Total), mask, Slice(positions, Prefix, Total), expectedPrefix);
        var actual = quantized.Run(Slice(ids, Prefix, Total), mask, Slice(positions, Prefix, Total), actualPrefix);

        var scale = expected.Logits.Max(Math.Abs);
        Assert.True(scale > 1f, $"the test model's logits should span whole units (max {scale})");
        foreach (var (e, a, what) in new[] { (expectedPrefix, actualPrefix, "prefix"), (expected, actual, "with past") })
        {
            var diff = OnnxTestModels.MaxAbsDiff(e.Logits, a.Logits);
            output.WriteLine($"{method} {what}: max |Δlogit| {diff:G3} of max |logit| {scale:G3} ({diff / scale:P2})");
            Assert.True(diff <= tolerance * scale, $"{what}: max |Δlogit| {diff} over {tolerance:P0} of {scale}");
            Assert.True(diff > 0, "a quantized model that computes exactly the float32 logits converted nothing");
            Assert.True(OnnxTestModels.MaxAbsDiff(e.Keys[1], a.Keys[1]) <= tolerance * e.Keys[1].Max(Math.Abs));
        }

        // Every matrix product converted, the tied embedding/LM head included; the metadata says what was done.
        // (int8: 4 matrices a layer and wte; float16: every float initializer)
        Assert.True(method == OnnxQuantizationMethod.Float16 ? result.QuantizedWeights.Count > 9 : result.QuantizedWeights.Count == 9, string.Join(", ", result.QuantizedWeights));
        Assert.Contains("transformer.wte.weight", result.QuantizedWeights);
        Assert.Empty(result.ExcludedNodes);
        using var metadata = JsonDocument.Parse(quantized.Session.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.Quantization]);
        Assert.Equal(result.Metadata[OnnxMetadataKeys.Quantization], quantized.Session.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.Quantization]);
        Assert.True(metadata.RootElement.GetProperty("ops").GetArrayLength() > 0);
        Assert.Equal(model.Config.ToJson(), quantized.Session.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.Config]);
    }

    [Theory]
    [InlineData(OnnxQuantizationMethod.WeightOnlyInt8)]
    [InlineData(OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits)]
    [InlineData(OnnxQuantizationMethod.DynamicInt8)]
    public void Int8_files_are_at_least_3_5_times_smaller_when_weight_matrices_dominate(OnnxQuantizationMethod method)
    {
        using var folder = OnnxTestModels.Folder(output, "size-" + method);
        var config = OnnxTestModels.Config with { VocabSize = 2048, EmbeddingSize = 128, Heads = 4, Layers = 2 };
        using var model = OnnxTestModels.Create(seed: 32, config);
        var source = folder.File("model.onnx");
        OnnxExporter.Export(model, source);

        var result = new OnnxQuantizer().Quantize(source, folder.File("model-int8.onnx"), new OnnxQuantizationOptions { Method = method });

        output.WriteLine($"{method}: {result.SourceBytes:N0} → {result.QuantizedBytes:N0} bytes ({result.CompressionRatio:F2}×)");
        Assert.Equal(new FileInfo(source).Length, result.SourceBytes);
        Assert.Equal(new FileInfo(result.ModelPath).Length, result.QuantizedBytes);
        Assert.True(result.CompressionRatio >= 3.5, $"{result.CompressionRatio:F2}× smaller");
    }

    [Theory]
    [InlineData(OnnxQuantizationMethod.WeightOnlyInt8)]
    [InlineData(OnnxQuantizationMethod.WeightOnlyInt8MatMulNBits)]
    [InlineData(OnnxQuantizationMethod.DynamicInt8)]
    public void A_tied_head_written_as_Gemm_transB_converts_as_the_MatMul_form_does(OnnxQuantizationMethod method)
    {
        // Files exported before the head became MatMul(hidden, Transpose(wte)), and other exporters, write it as
        // Reshape → Gemm(transB) → Reshape: both forms convert the table and give the same logits.
        using var folder = OnnxTestModels.Folder(output, "gemm-head-" + method);
        using var model = OnnxTestModels.Create(seed: 34);
        var source = folder.File("model.onnx");
        OnnxExporter.Export(model, source);
        var gemmForm = folder.File("model-gemm.onnx");
        WriteHeadAsGemm(source, gemmForm, model.Config.EmbeddingSize, model.Config.VocabSize);
        var options = new OnnxQuantizationOptions { Method = method, MinimumWeightElements = 64, BlockSize = 16 }; // K = 32

        var fromMatMul = new OnnxQuantizer().Quantize(source, folder.File("matmul-int8.onnx"), options);
        var fromGemm = new OnnxQuantizer().Quantize(gemmForm, folder.File("gemm-int8.onnx"), options);

        Assert.Contains("transformer.wte.weight", fromGemm.QuantizedWeights);
        Assert.Equal(fromMatMul.QuantizedWeights.Order(StringComparer.Ordinal), fromGemm.QuantizedWeights.Order(StringComparer.Ordinal));
        Assert.Contains("/lm_head/Gemm", fromGemm.QuantizedNodes);
        Assert.Contains("/lm_head/MatMul", fromMatMul.QuantizedNodes);
        using var a = new OrtDecoder(fromMatMul.ModelPath);
        using var b = new OrtDecoder(fromGemm.ModelPath);
        long[,] ids = { { 5, 17, 42 } };
        long[,] mask = { { 1, 1, 1 } };
        long[,] positions = { { 0, 1, 2 } };
        var expected = a.Run(ids, mask, positions).Logits;
        var actual = b.Run(ids, mask, positions).Logits;
        Assert.True(OnnxTestModels.MaxAbsDiff(expected, actual) <= 1e-4f * expected.Max(Math.Abs), $"max |Δ| {OnnxTestModels.MaxAbsDiff(expected, actual)}");
    }

    /// <summary>Rewrites an export's LM head as Reshape → Gemm(transB) → Reshape (the exporter's earlier form).</summary>
    private static void WriteHeadAsGemm(string source, string target, int embedding, int vocab)
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(source));
        var nodes = proto.Graph.Node;
        var transpose = nodes.Single(n => n.Name == "/lm_head/Transpose");
        var product = nodes.Single(n => n.Name == "/lm_head/MatMul");
        var at = nodes.IndexOf(transpose);
        var hidden = product.Input[0];
        var wte = transpose.Input[0];
        nodes.Remove(transpose);
        nodes.Remove(product);
        proto.Graph.Initializer.Add(Int64s("gemm_head_rows", -1, embedding));
        proto.Graph.Initializer.Add(Int64s("gemm_head_vocab", vocab));
        NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = name };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            node.Attribute.AddRange(attributes);
            return node;
        }

        static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
        nodes.Insert(at, Node("Reshape", "/lm_head/Reshape", [hidden, "gemm_head_rows"], "gemm_head_flat"));
        nodes.Insert(at + 1, Node("Gemm", "/lm_head/Gemm", ["gemm_head_flat", wte], "gemm_head_product", Int("transB", 1)));
        nodes.Insert(at + 2, Node("Shape", "/lm_head/Shape", [hidden], "gemm_head_lead", Int("start", 0), Int("end", 2)));
        nodes.Insert(at + 3, Node("Concat", "/lm_head/Concat", ["gemm_head_lead", "gemm_head_vocab"], "gemm_head_shape", Int("axis", 0)));
        nodes.Insert(at + 4, Node("Reshape", "/lm_head/output/Reshape", ["gemm_head_product", "gemm_head_shape"], "logits"));
        File.WriteAllBytes(target, proto.ToByteArray());
    }

    private static TensorProto Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    [Fact]
    public void An_excluded_LM_head_keeps_its_tied_table_in_float32_and_the_metadata_lists_it()
    {
        using var folder = OnnxTestModels.Folder(output, "excluded");
        using var model = OnnxTestModels.Create(seed: 33);
        var source = folder.File("model.onnx");
        OnnxExporter.Export(model, source);
        var path = folder.File("model-int8.onnx");

        var result = new OnnxQuantizer().Quantize(source, path, new OnnxQuantizationOptions { ExcludedNodes = ["/lm_head/MatMul"], MinimumWeightElements = 64 });

        Assert.Equal(["/lm_head/MatMul"], result.ExcludedNodes);
        Assert.DoesNotContain("transformer.wte.weight", result.QuantizedWeights);
        Assert.Equal(8, result.QuantizedWeights.Count);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal((int)TensorProto.Types.DataType.Float, proto.Graph.Initializer.Single(i => i.Name == "transformer.wte.weight").DataType);
        Assert.Contains(proto.Graph.Node, n => n.Name == "/lm_head/Transpose" && n.Input[0] == "transformer.wte.weight");
        using var metadata = JsonDocument.Parse(result.Metadata[OnnxMetadataKeys.Quantization]);
        Assert.Equal("/lm_head/MatMul", metadata.RootElement.GetProperty("excluded_nodes")[0].GetString());
        using var ort = new OrtDecoder(path);
        Assert.Equal(97, ort.Run(new long[,] { { 1, 2 } }, new long[,] { { 1, 1 } }, new long[,] { { 0, 1 } }).LogitsShape[2]);
    }

    [Fact]
    public void Progress_reports_each_weight_then_the_written_file_and_bad_input_fails_with_a_clear_error()
    {
        using var folder = OnnxTestModels.Folder(output, "progress", checkable: false);
        using var model = OnnxTestModels.Create(seed: 34);
        var source = folder.File("model.onnx");
        OnnxExporter.Export(model, source);
        var reports = new List<OnnxQuantizationProgress>();
        var quantizer = new OnnxQuantizer();

        quantizer.Quantize(source, folder.File("q.onnx"), new OnnxQuantizationOptions { MinimumWeightElements = 64, BlockSize = 32 }, new SyncProgress(reports.Add));

        Assert.Equal(Enumerable.Range(1, 9), reports.Take(9).Select(r => r.Completed));
        Assert.All(reports.Take(9), r => Assert.Equal(9, r.Total));
        Assert.Equal(new OnnxQuantizationProgress(9, 9, null), reports[^1]);

        var again = Assert.Throws<NotSupportedException>(() => quantizer.Quantize(folder.File("q.onnx"), folder.File("qq.onnx")));
        Assert.Contains("quantized already", again.Message, StringComparison.Ordinal);
        var settings = Assert.Throws<NotSupportedException>(() => quantizer.Quantize(source, folder.File("x.onnx"), new OnnxQuantizationOptions { BlockSize = 100, MatMulNBitsAccuracyLevel = 7 }));
        Assert.Contains("block size 100", settings.Message, StringComparison.Ordinal);
        Assert.Contains("accuracy level", settings.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => quantizer.Quantize(folder.File("missing.onnx"), folder.File("y.onnx")));
        Assert.Throws<ArgumentException>(() => quantizer.Quantize(source, source));
        File.WriteAllText(folder.File("text.onnx"), "not a model");
        Assert.Throws<InvalidDataException>(() => quantizer.Quantize(folder.File("text.onnx"), folder.File("z.onnx")));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => quantizer.Quantize(source, folder.File("c.onnx"), cancellationToken: cancelled.Token));
        Assert.False(File.Exists(folder.File("c.onnx")));
    }

    private static long[,] Slice(long[,] values, int from, int to)
    {
        var result = new long[values.GetLength(0), to - from];
        for (var b = 0; b < values.GetLength(0); b++)
        {
            for (var t = from; t < to; t++)
            {
                result[b, t - from] = values[b, t];
            }
        }

        return result;
    }

    private sealed class SyncProgress(Action<OnnxQuantizationProgress> report) : IProgress<OnnxQuantizationProgress>
    {
        public void Report(OnnxQuantizationProgress value) => report(value);
    }
}
