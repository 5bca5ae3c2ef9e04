using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static Aigc.Training.Tests.Export.OnnxExporterTests;
using static TorchSharp.torch;

namespace Aigc.Training.Tests.Export;

/// <summary>The per-row adapter export (<see cref="OnnxLoraInputs.PerRowAdapters"/>): one run, a different adapter per row.</summary>
public sealed class OnnxStackedLoraExportTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Each_row_of_a_mixed_batch_equals_the_graph_with_its_adapter_merged()
    {
        using var folder = OnnxTestModels.Folder(output, "lora-stacked");
        var model = OnnxTestModels.Create(seed: 41);
        var basePlain = OnnxExporter.Export(model, folder.File("base.onnx"));
        var wide = new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["c_attn", "c_fc"] };
        var lora = LoraModel.Create(model, wide, "wide");
        lora.AddAdapter("narrow", new LoraConfig { Rank = 2, Alpha = 4, UseRsLora = true, TargetModules = ["c_attn"] });
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

        var stacked = OnnxExporter.Export(model, folder.File("stacked.onnx"), new OnnxExportOptions { LoraInputs = OnnxLoraInputs.From(wide) with { PerRowAdapters = true } });
        var wideParameters = OnnxLoraExportTests.Feeds(OnnxAdapterWriter.GetParameters(lora, "wide"));
        var narrowParameters = OnnxLoraExportTests.Feeds(OnnxAdapterWriter.GetParameters(lora, "narrow"));
        lora.SetActiveAdapter("wide");
        var mergedWide = OnnxExporter.ExportMerged(lora, folder.File("merged-wide.onnx"));
        lora.SetActiveAdapter("narrow");
        var mergedNarrow = OnnxExporter.ExportMerged(lora, folder.File("merged-narrow.onnx"));

        // Slots: 0 zeros (the base), 1 wide (rank 4), 2 narrow (rank 2, zero-padded to 4; no c_fc matrices: zeros).
        var feeds = Stack(stacked, [wideParameters, narrowParameters], rank: 4);
        using var session = new OrtDecoder(stacked.ModelPath);
        var (ids, mask, positions) = Inputs(new Random(41), 3, 6);
        long[] slots = [1, 0, 2];
        var mixed = session.Run(ids, mask, positions, extra: feeds, adapterIds: slots);

        string[] alone = [mergedWide.ModelPath, basePlain.ModelPath, mergedNarrow.ModelPath];
        var vocab = OnnxTestModels.Config.VocabSize;
        var rowLength = 6 * vocab;
        var differences = new float[3];
        for (var row = 0; row < 3; row++)
        {
            using var reference = new OrtDecoder(alone[row]);
            var (rowIds, rowMask, rowPositions) = (Row(ids, row), Row(mask, row), Row(positions, row));
            var expected = reference.Run(rowIds, rowMask, rowPositions);
            var difference = OnnxTestModels.MaxAbsDiff(expected.Logits, mixed.Logits.AsSpan(row * rowLength, rowLength));
            output.WriteLine($"row {row} (slot {slots[row]}) vs its merged graph: {difference:E2}");
            Assert.InRange(difference, 0f, Tolerance);
            differences[row] = difference;

            // The slots do differ: the wide adapter's row is far from the base.
            if (row == 0)
            {
                using var plain = new OrtDecoder(basePlain.ModelPath);
                Assert.True(OnnxTestModels.MaxAbsDiff(plain.Run(rowIds, rowMask, rowPositions).Logits, expected.Logits) > 0.1f);
            }
        }

        // Feeding nothing computes the base model (defaults: one zero slot of rank 0, adapter_ids = [0]).
        using var basic = new OrtDecoder(basePlain.ModelPath);
        Assert.InRange(OnnxTestModels.MaxAbsDiff(basic.Run(ids, mask, positions).Logits, session.Run(ids, mask, positions).Logits), 0f, Tolerance);

        using var document = JsonDocument.Parse(stacked.Metadata[OnnxMetadataKeys.LoraInputs]);
        Assert.Equal("stacked", document.RootElement.GetProperty("layout").GetString());
        Assert.Equal(OnnxLoraInputs.AdapterIdsName, document.RootElement.GetProperty("adapter_ids").GetString());
    }

    /// <summary>Builds the stacked inputs: slot 0 zeros, then each adapter's matrices zero-padded to <paramref name="rank"/>.</summary>
    internal static Dictionary<string, (float[] Data, long[] Shape)> Stack(OnnxExportResult export, IReadOnlyList<Dictionary<string, (float[] Data, long[] Shape)>> adapters, int rank)
    {
        var slots = adapters.Count + 1;
        var feeds = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
        foreach (var layer in export.LoraInputs)
        {
            var a = new float[slots * rank * layer.InFeatures];
            var b = new float[slots * layer.OutFeatures * rank];
            for (var s = 1; s < slots; s++)
            {
                if (adapters[s - 1].TryGetValue(layer.LoraAName, out var fedA))
                {
                    var r = (int)fedA.Shape[0];
                    fedA.Data.CopyTo(a.AsSpan(s * rank * layer.InFeatures)); // rows [0, r) of the slot's [rank, in]
                    var fedB = adapters[s - 1][layer.LoraBName].Data;
                    for (var o = 0; o < layer.OutFeatures; o++)
                    {
                        fedB.AsSpan(o * r, r).CopyTo(b.AsSpan((s * layer.OutFeatures * rank) + (o * rank)));
                    }
                }
            }

            feeds[layer.LoraAName + OnnxLoraInputs.StackedSuffix] = (a, [slots, rank, layer.InFeatures]);
            feeds[layer.LoraBName + OnnxLoraInputs.StackedSuffix] = (b, [slots, layer.OutFeatures, rank]);
        }

        return feeds;
    }

    private static long[,] Row(long[,] values, int row)
    {
        var result = new long[1, values.GetLength(1)];
        for (var t = 0; t < values.GetLength(1); t++)
        {
            result[0, t] = values[row, t];
        }

        return result;
    }
}
