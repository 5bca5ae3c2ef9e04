using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static Aigc.Training.Tests.Export.OnnxExporterTests;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Export;

public sealed class OnnxLoraExportTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    private static readonly LoraConfig Config = new() { Rank = 4, Alpha = 8, TargetModules = ["c_attn", "c_fc"] };

    /// <summary>A base model with a trained-looking adapter (B random, not zero) attached, and both exports.</summary>
    private static (Gpt2LanguageModel Model, LoraModel Lora, OnnxExportResult LoraGraph, OnnxExportResult Merged, OnnxExportResult Base) Setup(ExportFolder folder, int seed)
    {
        var model = OnnxTestModels.Create(seed);
        var baseGraph = OnnxExporter.Export(model, folder.File("base.onnx"));
        var lora = LoraModel.Create(model, Config);
        lora.AddAdapter("small", new LoraConfig { Rank = 2, Alpha = 4, UseRsLora = true, TargetModules = ["c_attn"] });
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains(".lora_B.", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 0.3);
                }
            }
        }

        var loraGraph = OnnxExporter.Export(model, folder.File("lora.onnx"), new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(Config) });
        var merged = OnnxExporter.ExportMerged(lora, folder.File("merged.onnx"));
        return (model, lora, loraGraph, merged, baseGraph);
    }

    [Fact]
    public void The_LoRA_graph_fed_an_adapter_equals_the_merged_graph_and_TorchSharp()
    {
        using var folder = OnnxTestModels.Folder(output, "lora-direct");
        var (model, lora, loraGraph, merged, _) = Setup(folder, seed: 31);
        using var loraSession = new OrtDecoder(loraGraph.ModelPath);
        using var mergedSession = new OrtDecoder(merged.ModelPath);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (ids, mask, positions) = Inputs(new Random(31), 3, 7);

        var feeds = Feeds(OnnxAdapterWriter.GetParameters(lora));
        Assert.Equal(8, feeds.Count); // A and B for 2 layers × (c_attn, c_fc)
        Assert.Equal([4L, 32], feeds["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"].Shape);
        Assert.Equal([128L, 4], feeds["base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight"].Shape);

        var fed = loraSession.Run(ids, mask, positions, extra: feeds);
        var expected = mergedSession.Run(ids, mask, positions);
        var torchLogits = OnnxTestModels.ToArray(model.Forward(T(ids), T(mask), T(positions)).Logits);
        var vsMerged = OnnxTestModels.MaxAbsDiff(expected.Logits, fed.Logits);
        var vsTorch = OnnxTestModels.MaxAbsDiff(torchLogits, fed.Logits);
        output.WriteLine($"LoRA inputs vs merged: {vsMerged:E2}; vs TorchSharp: {vsTorch:E2}");
        Assert.InRange(vsMerged, 0f, Tolerance);
        Assert.InRange(vsTorch, 0f, Tolerance);

        // With past too: the adapter also shapes the cache.
        var nextIds = new long[,] { { 7 }, { 8 }, { 9 } };
        var nextMask = new long[3, 8];
        for (var b = 0; b < 3; b++)
        {
            for (var t = 0; t < 8; t++)
            {
                nextMask[b, t] = t < 7 ? mask[b, t] : 1;
            }
        }

        var nextPositions = new long[,] { { positions[0, 6] + 1 }, { positions[1, 6] + 1 }, { positions[2, 6] + 1 } };
        var fedNext = loraSession.Run(nextIds, nextMask, nextPositions, fed, feeds);
        var mergedNext = mergedSession.Run(nextIds, nextMask, nextPositions, expected);
        Assert.InRange(OnnxTestModels.MaxAbsDiff(mergedNext.Logits, fedNext.Logits), 0f, Tolerance);

        // The adapter changes the output a lot, so the comparison is not trivially passed by the base.
        using var baseSession = new OrtDecoder(folder.File("base.onnx"));
        Assert.True(OnnxTestModels.MaxAbsDiff(baseSession.Run(ids, mask, positions).Logits, fed.Logits) > 0.1f);
    }

    [Fact]
    public void Without_feeds_the_LoRA_graph_is_the_base_model_and_any_rank_feeds_in_without_re_export()
    {
        using var folder = OnnxTestModels.Folder(output, "lora-rank");
        var (model, lora, loraGraph, _, baseGraph) = Setup(folder, seed: 32);
        using var loraSession = new OrtDecoder(loraGraph.ModelPath);
        using var baseSession = new OrtDecoder(baseGraph.ModelPath);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (ids, mask, positions) = Inputs(new Random(32), 2, 6);

        Assert.Equal(0f, OnnxTestModels.MaxAbsDiff(baseSession.Run(ids, mask, positions).Logits, loraSession.Run(ids, mask, positions).Logits));

        // A rank-2 rsLoRA adapter on c_attn only (c_fc keeps its empty defaults): its scaling alpha/√r is folded into B.
        lora.SetActiveAdapter("small");
        var feeds = Feeds(OnnxAdapterWriter.GetParameters(lora));
        Assert.Equal([2L, 32], feeds["base_model.model.transformer.h.1.attn.c_attn.lora_A.weight"].Shape);
        var expected = OnnxTestModels.ToArray(model.Forward(T(ids), T(mask), T(positions)).Logits);
        Assert.InRange(OnnxTestModels.MaxAbsDiff(expected, loraSession.Run(ids, mask, positions, extra: feeds).Logits), 0f, Tolerance);

        var inputs = loraSession.Session.OverridableInitializerMetadata;
        Assert.DoesNotContain(inputs.Keys, loraSession.Session.InputMetadata.ContainsKey);
        var a = inputs["base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight"];
        Assert.Equal(["transformer.h.0.mlp.c_fc.lora_rank", string.Empty], a.SymbolicDimensions);
        Assert.Equal([-1, 32], a.Dimensions);
        var described = JsonDocument.Parse(loraSession.Session.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.LoraInputs]).RootElement;
        Assert.Equal("symbolic", described.GetProperty("rank").GetString());
        Assert.Equal(4, described.GetProperty("modules").GetArrayLength());
        Assert.Equal(4, loraGraph.LoraInputs.Count);
    }

    [Fact]
    public void An_onnx_adapter_file_through_OrtLoraAdapter_equals_the_merged_graph()
    {
        using var folder = OnnxTestModels.Folder(output, "lora-adapter");
        var (_, lora, loraGraph, merged, _) = Setup(folder, seed: 33);
        var adapterPath = folder.File("default" + OnnxAdapterWriter.FileExtension);
        OnnxAdapterWriter.Write(lora, adapterPath);
        lora.Save(folder.File("peft"));
        var fromPeft = folder.File("from-peft" + OnnxAdapterWriter.FileExtension);
        OnnxAdapterWriter.WriteFromPeft(folder.File("peft"), fromPeft);
        Assert.Equal(File.ReadAllBytes(adapterPath), File.ReadAllBytes(fromPeft));

        using var loraSession = new OrtDecoder(loraGraph.ModelPath);
        using var mergedSession = new OrtDecoder(merged.ModelPath);
        var (ids, mask, positions) = Inputs(new Random(33), 3, 6);
        var expected = mergedSession.Run(ids, mask, positions).Logits;

        using var adapter = OrtLoraAdapter.Create(adapterPath, null);
        using var runOptions = new RunOptions();
        runOptions.AddActiveLoraAdapter(adapter);
        var viaFile = loraSession.Run(ids, mask, positions, runOptions: runOptions).Logits;
        var diff = OnnxTestModels.MaxAbsDiff(expected, viaFile);
        output.WriteLine($"OrtLoraAdapter vs merged: {diff:E2}");
        Assert.InRange(diff, 0f, Tolerance);

        using var fromBytes = OrtLoraAdapter.Create(File.ReadAllBytes(adapterPath), null);
        using var bytesOptions = new RunOptions();
        bytesOptions.AddActiveLoraAdapter(fromBytes);
        Assert.Equal(viaFile, loraSession.Run(ids, mask, positions, runOptions: bytesOptions).Logits);
    }

    [Fact]
    public void Adapters_that_train_biases_or_modules_cannot_become_LoRA_inputs()
    {
        using var model = OnnxTestModels.Create(seed: 34);
        var lora = LoraModel.Create(model, new LoraConfig { Bias = LoraBias.All });

        var error = Assert.Throws<NotSupportedException>(() => OnnxAdapterWriter.GetParameters(lora));
        Assert.Contains(".bias", error.Message);
        Assert.Contains("ExportMerged", error.Message);
    }

    internal static Dictionary<string, (float[] Data, long[] Shape)> Feeds(IReadOnlyDictionary<string, Tensor> parameters)
    {
        var feeds = parameters.ToDictionary(p => p.Key, p => (OnnxTestModels.ToArray(p.Value), p.Value.shape), StringComparer.Ordinal);
        foreach (var tensor in parameters.Values)
        {
            tensor.Dispose();
        }

        return feeds;
    }
}
