using Xunit.Abstractions;
using static Aigc.Training.Tests.Export.OnnxExporterTests;

namespace Aigc.Training.Tests.Export;

/// <summary>The optional <c>logits_to_keep</c> input: only the last N positions reach the LM head.</summary>
public sealed class OnnxLogitsToKeepTests(ITestOutputHelper output)
{
    [Fact]
    public void Keeping_the_last_positions_gives_exactly_their_logits_and_the_default_keeps_all()
    {
        using var folder = OnnxTestModels.Folder(output, "logits-to-keep");
        using var model = OnnxTestModels.Create(seed: 43);
        var export = OnnxExporter.Export(model, folder.File("model.onnx"));
        using var session = new OrtDecoder(export.ModelPath);
        var (ids, mask, positions) = Inputs(new Random(43), 2, 5);
        var vocab = OnnxTestModels.Config.VocabSize;

        var all = session.Run(ids, mask, positions);
        var defaulted = session.Run(ids, mask, positions, logitsToKeep: 0);
        var last = session.Run(ids, mask, positions, logitsToKeep: 1);
        var lastTwo = session.Run(ids, mask, positions, logitsToKeep: 2);

        Assert.Equal([2L, 5, vocab], all.LogitsShape);
        Assert.Equal(all.Logits, defaulted.Logits);
        Assert.Equal([2L, 1, vocab], last.LogitsShape);
        Assert.Equal([2L, 2, vocab], lastTwo.LogitsShape);
        for (var row = 0; row < 2; row++)
        {
            var full = all.Logits.AsSpan(row * 5 * vocab, 5 * vocab);
            // Equal up to the LM head's summation order (a one-row product may take another kernel).
            Assert.InRange(OnnxTestModels.MaxAbsDiff(full[(4 * vocab)..], last.Logits.AsSpan(row * vocab, vocab)), 0f, 1e-5f);
            Assert.InRange(OnnxTestModels.MaxAbsDiff(full[(3 * vocab)..], lastTwo.Logits.AsSpan(row * 2 * vocab, 2 * vocab)), 0f, 1e-5f);
        }

        // The cache is the same whatever is kept.
        Assert.Equal(all.Keys[1], last.Keys[1]);
    }
}
