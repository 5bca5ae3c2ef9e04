using Aigc.Data;
using Aigc.Inference;
using Aigc.Monitoring;
using Aigc.Quickstart.Stages;
using Aigc.Training;

namespace Aigc.Quickstart.Tests;

/// <summary>
/// The Quickstart's loop in a small configuration, over the real stores (files, SQLite registry and feedback store),
/// TorchSharp and ONNX Runtime: the fine-tuned model must beat the base on the target-style metrics, the quality gate
/// must promote it, a second run must reuse every step, and served answers must come back as feedback datasets.
/// </summary>
public sealed class QuickstartLoopTests : IAsyncDisposable
{
    private static readonly QuickstartSettings Small = new() { Products = 300, PretrainSteps = 120, LoraSteps = 80, HeldOut = 12, ServeRequests = 16, RatedPairs = 4, ProgressBars = false };

    private readonly string _root = Directory.CreateTempSubdirectory("aigc-quickstart-").FullName;
    private readonly SqliteModelRegistry _registry;
    private readonly SqliteFeedbackStore _feedback;
    private readonly FileDatasetStore _store;

    public QuickstartLoopTests()
    {
        _store = new FileDatasetStore(Path.Combine(_root, "datasets"));
        _registry = new SqliteModelRegistry(Path.Combine(_root, "registry.db"), Path.Combine(_root, "artifacts"));
        _feedback = new SqliteFeedbackStore(Path.Combine(_root, "feedback.db"));
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _feedback.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_fine_tuned_model_beats_the_base_on_the_target_style_takes_champion_and_a_second_run_reuses_every_step()
    {
        var first = await QuickstartPipeline.Build(_store, _registry, _root, Small, seed: 42).RunAsync();

        var m = first[QuickstartPipeline.Evaluate].Metrics;
        Assert.True(m["tuned.aurora_style_share"] >= m["base.aurora_style_share"] + Small.GateMargin, $"style share base {m["base.aurora_style_share"]:P0}, fine-tuned {m["tuned.aurora_style_share"]:P0}");
        Assert.True(m["tuned.chrf"] > m["base.chrf"], $"chrF base {m["base.chrf"]:F1}, fine-tuned {m["tuned.chrf"]:F1}");
        Assert.True(m["tuned.perplexity"] < m["base.perplexity"], $"perplexity base {m["base.perplexity"]:F1}, fine-tuned {m["tuned.perplexity"]:F1}");
        Assert.Equal("promoted", first[QuickstartPipeline.Promote].GetValue(PromotePipelineStep.DecisionKey));
        var champion = await _registry.ResolveAsync("models:/aurora-writer@champion");
        Assert.Equal(RegisterModelPipelineStep.GetVersion(first[QuickstartPipeline.Register]).Version, champion.Version);
        Assert.Equal("promoted", champion.Tags["quality_gate.decision"]);
        Assert.Equal(ModelUri.ForVersion("aurora-writer", 1), champion.Lineage.BaseModel);

        var second = await QuickstartPipeline.Build(_store, _registry, _root, Small, seed: 42).RunAsync();
        Assert.All(second.Steps, s => Assert.True(s.Reused, $"step {s.Id} ran again"));

        // Serve the champion and turn simulated feedback into dataset versions; a second time reuses them.
        var heldOut = await HeldOut.LoadAsync(_store, DatasetPipelineStep.GetDataset(first[QuickstartPipeline.Catalog]), Small.HeldOut, CancellationToken.None);
        var served = await ServeStage.RunAsync(_registry, heldOut, Small, CancellationToken.None);
        Assert.All(served.Responses, r => Assert.Equal(champion.Uri, r.Version));
        Assert.True(served.Tokens > 0);
        var exporter = new FeedbackDatasetExporter(_feedback, _store);
        var dataset = DatasetPipelineStep.GetDataset(first[QuickstartPipeline.Catalog]);
        var exported = await FeedbackStage.RunAsync(_feedback, exporter, served, dataset, Small, TimeProvider.System, CancellationToken.None);
        Assert.True(exported.FeedbackRead >= Small.ServeRequests);
        var again = await FeedbackStage.RunAsync(_feedback, exporter, served, dataset, Small, TimeProvider.System, CancellationToken.None);
        Assert.Equal(exported.Instructions?.Version, again.Instructions?.Version);
        Assert.True(again.Instructions is null || again.InstructionsReused);

        var report = ReportStage.Write(_root, second, served, exported, TimeSpan.FromSeconds(1));
        Assert.True(new FileInfo(Path.Combine(_root, "report", "loss.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(_root, "report", "quality.png")).Length > 1000);
        Assert.Contains("| fine-tuned |", File.ReadAllText(report), StringComparison.Ordinal);
    }
}
