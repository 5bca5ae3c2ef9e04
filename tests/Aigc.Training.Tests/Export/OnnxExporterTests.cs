using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Export;

public sealed class OnnxExporterTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ORT_logits_and_cache_match_TorchSharp_without_and_with_past(int batch)
    {
        using var folder = OnnxTestModels.Folder(output, $"parity-b{batch}");
        using var model = OnnxTestModels.Create(seed: 10 + batch);
        var path = folder.File("model.onnx");
        OnnxExporter.Export(model, path);
        using var ort = new OrtDecoder(path);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();

        const int Prefix = 5, Total = 9;
        var (ids, mask, positions) = Inputs(new Random(batch), batch, Total);

        // Without past: the prefix from an empty cache.
        var torchPrefix = model.Forward(T(Slice(ids, 0, Prefix)), T(Slice(mask, 0, Prefix)), T(Slice(positions, 0, Prefix)));
        var ortPrefix = ort.Run(Slice(ids, 0, Prefix), Slice(mask, 0, Prefix), Slice(positions, 0, Prefix));
        Assert.Equal([batch, Prefix, 97L], ortPrefix.LogitsShape);
        AssertClose(torchPrefix, ortPrefix, "no past");

        // With past: the remaining tokens on top of each side's own cache.
        var torchNext = model.Forward(T(Slice(ids, Prefix, Total)), T(mask), T(Slice(positions, Prefix, Total)), torchPrefix.Present);
        var ortNext = ort.Run(Slice(ids, Prefix, Total), mask, Slice(positions, Prefix, Total), ortPrefix);
        Assert.Equal(Total, ortNext.Length);
        AssertClose(torchNext, ortNext, "with past");

        // The logits are far from trivial, so the tolerance means something.
        Assert.True(torchNext.Logits.abs().max().item<float>() > 1f);
    }

    [Fact]
    public void Greedy_generation_of_32_tokens_with_the_ORT_cache_matches_TorchSharp()
    {
        using var folder = OnnxTestModels.Folder(output, "greedy");
        using var model = OnnxTestModels.Create(seed: 21);
        var path = folder.File("model.onnx");
        OnnxExporter.Export(model, path);
        using var ort = new OrtDecoder(path);
        using var noGrad = torch.no_grad();
        long[] prompt = [5, 17, 42, 8, 91, 33];

        var torchTokens = new List<long>();
        using (torch.NewDisposeScope())
        {
            var step = model.Forward(torch.tensor(prompt, [1, prompt.Length]));
            for (var n = 0; n < 32; n++)
            {
                var next = step.Logits[0, -1].argmax().item<long>();
                torchTokens.Add(next);
                step = model.Forward(torch.tensor(new[] { next }, [1, 1]), past: step.Present);
            }
        }

        var ortTokens = new List<long>();
        var length = prompt.Length;
        var ids = new long[1, length];
        var positions = new long[1, length];
        for (var i = 0; i < length; i++)
        {
            ids[0, i] = prompt[i];
            positions[0, i] = i;
        }

        var ortStep = ort.Run(ids, Ones(1, length), positions);
        for (var n = 0; n < 32; n++)
        {
            var last = ortStep.Logits.AsSpan(((int)ortStep.LogitsShape[1] - 1) * 97, 97);
            long next = last.IndexOf(TensorPrimitivesMax(last));
            ortTokens.Add(next);
            ortStep = ort.Run(new long[,] { { next } }, Ones(1, length + 1), new long[,] { { length } }, ortStep);
            length++;
        }

        output.WriteLine(string.Join(' ', ortTokens));
        Assert.Equal(torchTokens, ortTokens);
        Assert.True(ortTokens.Distinct().Count() > 1);
    }

    [Fact]
    public void Names_axes_and_metadata_follow_the_Optimum_convention()
    {
        using var folder = OnnxTestModels.Folder(output, "metadata");
        using var model = OnnxTestModels.Create(seed: 3);
        var checkpoint = Path.Combine(folder.Path, "checkpoint");
        Gpt2Checkpoint.Save(model, checkpoint);
        var path = folder.File("model.onnx");
        #region export
        var result = OnnxExporter.ExportCheckpoint(checkpoint, path, new OnnxExportOptions { SourceModelVersion = "tiny@3", Metadata = new Dictionary<string, string> { ["team"] = "search" } });
        #endregion
        using var ort = new OrtDecoder(path);
        var session = ort.Session;

        Assert.Equal(["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"], session.InputNames);
        Assert.Equal(["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"], session.OutputNames);
        Assert.Equal(["batch_size", "sequence_length"], session.InputMetadata["input_ids"].SymbolicDimensions);
        Assert.Equal(["batch_size", "past_sequence_length + sequence_length"], session.InputMetadata["attention_mask"].SymbolicDimensions);
        Assert.Equal([-1, 4, -1, 8], session.InputMetadata["past_key_values.1.value"].Dimensions);
        Assert.Equal("past_sequence_length", session.InputMetadata["past_key_values.1.value"].SymbolicDimensions[2]);
        Assert.Equal([-1, -1, 97], session.OutputMetadata["logits"].Dimensions);
        Assert.Equal(typeof(long), session.InputMetadata["position_ids"].ElementType);

        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("GPT2LMHeadModel", metadata[OnnxMetadataKeys.Architecture]);
        Assert.Equal(model.Config, JsonSerializer.Deserialize<Gpt2Config>(metadata[OnnxMetadataKeys.Config])! with { Architectures = model.Config.Architectures });
        Assert.Equal("gpt2", metadata[OnnxMetadataKeys.Tokenizer]);
        Assert.Equal("17", metadata[OnnxMetadataKeys.Opset]);
        Assert.Equal("tiny@3", metadata[OnnxMetadataKeys.SourceModelVersion]);
        Assert.Equal("search", metadata["team"]);
        using (var weights = File.OpenRead(Path.Combine(checkpoint, Gpt2Checkpoint.WeightsFile)))
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(weights)), metadata[OnnxMetadataKeys.SourceModelSha256]);
        }

        Assert.False(metadata.ContainsKey(OnnxMetadataKeys.LoraInputs));
        Assert.Equal("Aigc.Training", session.ModelMetadata.ProducerName);
        Assert.Null(result.ExternalDataPath);
        Assert.Empty(result.LoraInputs);
    }

    [Fact]
    public void Weights_go_to_external_data_above_the_threshold_and_give_the_same_logits()
    {
        using var folder = OnnxTestModels.Folder(output, "external");
        using var model = OnnxTestModels.Create(seed: 4);
        var inline = OnnxExporter.Export(model, folder.File("inline.onnx"));
        var external = OnnxExporter.Export(model, folder.File("external.onnx"), new OnnxExportOptions { ExternalDataThreshold = 10_000 });

        Assert.Null(inline.ExternalDataPath);
        Assert.Equal(folder.File("external.onnx_data"), external.ExternalDataPath);
        Assert.True(new FileInfo(external.ExternalDataPath!).Length > 90_000);
        Assert.True(new FileInfo(external.ModelPath).Length < 40_000);
        Assert.True(new FileInfo(inline.ModelPath).Length > 90_000);

        using var a = new OrtDecoder(inline.ModelPath);
        using var b = new OrtDecoder(external.ModelPath);
        var (ids, mask, positions) = Inputs(new Random(4), 2, 6);
        Assert.Equal(0f, OnnxTestModels.MaxAbsDiff(a.Run(ids, mask, positions).Logits, b.Run(ids, mask, positions).Logits));
    }

    [Fact]
    public void Opset_21_exports_and_matches_TorchSharp()
    {
        using var folder = OnnxTestModels.Folder(output, "opset21", checkable: false);
        using var model = OnnxTestModels.Create(seed: 5);
        var path = folder.File("model-opset21.onnx");
        OnnxExporter.Export(model, path, new OnnxExportOptions { Opset = 21 });
        using var ort = new OrtDecoder(path);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (ids, mask, positions) = Inputs(new Random(5), 2, 6);

        var expected = OnnxTestModels.ToArray(model.Forward(T(ids), T(mask), T(positions)).Logits);
        Assert.InRange(OnnxTestModels.MaxAbsDiff(expected, ort.Run(ids, mask, positions).Logits), 0f, Tolerance);
        Assert.Equal("21", ort.Session.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.Opset]);
    }

    [Fact]
    public void Unsupported_settings_fail_with_what_is_supported()
    {
        using var folder = OnnxTestModels.Folder(output, "unsupported");
        using var model = OnnxTestModels.Create(seed: 6);
        var path = folder.File("never.onnx");

        var opset = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, path, new OnnxExportOptions { Opset = 13, ExternalDataThreshold = -1 }));
        Assert.Contains("supported: 17 to 21", opset.Message);
        Assert.Contains("external data threshold", opset.Message);

        var reserved = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, path, new OnnxExportOptions { Metadata = new Dictionary<string, string> { [OnnxMetadataKeys.Config] = "{}" } }));
        Assert.Contains(OnnxMetadataKeys.Config, reserved.Message);

        var targets = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, path, new OnnxExportOptions { LoraInputs = new OnnxLoraInputs { TargetModules = ["q_proj"] } }));
        Assert.Contains("transformer.h.1.mlp.c_fc", targets.Message);

        var lora = LoraModel.Create(model, new LoraConfig { Rank = 2 });
        var unmerged = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, path));
        Assert.Contains("MergeAndUnload", unmerged.Message);
        Assert.Contains("LoraInputs", unmerged.Message);
        lora.AdaptersDisabled = true;
        OnnxExporter.Export(model, folder.File("adapters-disabled.onnx"));
        Assert.False(File.Exists(path));

        var llama = Path.Combine(folder.Path, "llama");
        Directory.CreateDirectory(llama);
        File.WriteAllText(Path.Combine(llama, "config.json"), """{"model_type":"llama","architectures":["LlamaForCausalLM"],"hidden_size":64}""");
        File.WriteAllText(Path.Combine(llama, "model.safetensors"), string.Empty);
        var architecture = Assert.Throws<NotSupportedException>(() => OnnxExporter.ExportCheckpoint(llama, path));
        Assert.Contains("LlamaForCausalLM", architecture.Message);
        Assert.Contains("supported: GPT2LMHeadModel", architecture.Message);
        Assert.False(File.Exists(Path.Combine(llama, "never.onnx")));
    }

    internal static (long[,] Ids, long[,] Mask, long[,] Positions) Inputs(Random random, int batch, int length)
    {
        var ids = new long[batch, length];
        var mask = new long[batch, length];
        var positions = new long[batch, length];
        for (var b = 0; b < batch; b++)
        {
            var padding = 2 * b; // row 0 none, then 2, 4, … left-padded positions
            for (var t = 0; t < length; t++)
            {
                ids[b, t] = t < padding ? 0 : random.Next(1, 97);
                mask[b, t] = t < padding ? 0 : 1;
                positions[b, t] = Math.Max(0, t - padding);
            }
        }

        return (ids, mask, positions);
    }

    internal static long[,] Slice(long[,] values, int from, int to)
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

    internal static Tensor T(long[,] values)
    {
        var flat = new long[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(long));
        return torch.tensor(flat, [values.GetLength(0), values.GetLength(1)]);
    }

    private static long[,] Ones(int batch, int length)
    {
        var ones = new long[batch, length];
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < length; t++)
            {
                ones[b, t] = 1;
            }
        }

        return ones;
    }

    private static float TensorPrimitivesMax(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Max(values);

    private void AssertClose(Gpt2Output expected, DecoderStep actual, string what)
    {
        var logits = OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(expected.Logits), actual.Logits);
        output.WriteLine($"{what}: max |logits difference| {logits:E2}");
        Assert.True(logits <= Tolerance, $"{what}: logits differ by {logits}");
        for (var i = 0; i < expected.Present.Count; i++)
        {
            var key = OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(expected.Present[i].Key), actual.Keys[i]);
            var value = OnnxTestModels.MaxAbsDiff(OnnxTestModels.ToArray(expected.Present[i].Value), actual.Values[i]);
            Assert.True(key <= Tolerance && value <= Tolerance, $"{what}: layer {i} cache differs by {key} / {value}");
        }
    }
}
