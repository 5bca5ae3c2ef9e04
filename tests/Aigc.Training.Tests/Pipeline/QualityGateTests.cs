using Aigc.Inference;

namespace Aigc.Training.Tests.Pipeline;

public sealed class QualityGateTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-gate-").FullName;
    private readonly SqliteModelRegistry _registry;
    private readonly ArtifactScoreEvaluator _evaluator;

    public QualityGateTests()
    {
        _registry = new SqliteModelRegistry(Path.Combine(_root, "registry.db"), Path.Combine(_root, "artifacts"));
        _evaluator = new ArtifactScoreEvaluator(_registry);
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    // register → promote for a "model" whose held-out score is written in its artifact.
    private ModelPipeline Candidate(string run, double score) => new ModelPipeline(run, Path.Combine(_root, run))
        .Add(new FakeExportStep("export", $"score:{score}"))
        .Add(new RegisterModelPipelineStep("register", _registry, "writer", "export") { Description = $"Run {run}", Tags = new Dictionary<string, string> { ["run"] = run } })
        .Add(new PromotePipelineStep("promote", _registry, "register", new QualityGateOptions { Metric = "style", Margin = 0.05 }, _evaluator.EvaluateAsync));

    [Fact]
    public async Task The_first_model_is_promoted_and_a_candidate_that_wins_by_the_margin_takes_the_champion_alias()
    {
        var first = await Candidate("first", 0.20).RunAsync();
        var second = await Candidate("second", 0.30).RunAsync();

        Assert.Equal("promoted", first["promote"].GetValue(PromotePipelineStep.DecisionKey));
        Assert.Equal("promoted", second["promote"].GetValue(PromotePipelineStep.DecisionKey));
        var champion = await _registry.ResolveAsync("models:/writer@champion");
        Assert.Equal(2, champion.Version);
        Assert.Equal("promoted", champion.Tags["quality_gate.decision"]);
        Assert.Equal("style", champion.Tags["quality_gate.metric"]);
        Assert.Equal(0.3, double.Parse(champion.Tags["quality_gate.candidate"], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(0.2, double.Parse(champion.Tags["quality_gate.champion"], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal("1", champion.Tags["quality_gate.champion_version"]);
        Assert.Equal("30", champion.Tags["quality_gate.candidate.bleu"]);
        Assert.StartsWith("Run second. Quality gate: models:/writer/2 style 0.3 vs @champion models:/writer/1 0.2", champion.Description, StringComparison.Ordinal);
        Assert.Equal(0.3, second["promote"].GetMetric("candidate.style"), 9);
        Assert.Equal(0.2, second["promote"].GetMetric("champion.style"), 9);
    }

    [Fact]
    public async Task A_candidate_that_does_not_win_by_the_margin_is_refused_and_the_refusal_is_recorded()
    {
        await Candidate("first", 0.20).RunAsync();
        var second = await Candidate("second", 0.24).RunAsync();

        Assert.Equal("rejected", second["promote"].GetValue(PromotePipelineStep.DecisionKey));
        Assert.Equal(1, (await _registry.ResolveAsync("models:/writer@champion")).Version);
        var candidate = await _registry.ResolveAsync("models:/writer@challenger");
        Assert.Equal(2, candidate.Version);
        Assert.Equal("rejected", candidate.Tags["quality_gate.decision"]);
        Assert.Equal("0.05", candidate.Tags["quality_gate.margin"]);
        Assert.Contains("gain 0.04, margin 0.05: rejected", candidate.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lower_is_better_metric_promotes_the_lower_value()
    {
        await Candidate("first", 2.0).RunAsync();
        var gate = new ModelPipeline("second", Path.Combine(_root, "second"))
            .Add(new FakeExportStep("export", "score:1.5"))
            .Add(new RegisterModelPipelineStep("register", _registry, "writer", "export"))
            .Add(new PromotePipelineStep("promote", _registry, "register", new QualityGateOptions { Metric = "style", Margin = 0.25, HigherIsBetter = false }, _evaluator.EvaluateAsync));

        var result = await gate.RunAsync();

        Assert.Equal("promoted", result["promote"].GetValue(PromotePipelineStep.DecisionKey));
        Assert.Equal(2, (await _registry.ResolveAsync("models:/writer@champion")).Version);
    }

    [Fact]
    public async Task A_rerun_reuses_the_decision_while_the_candidate_carries_it_and_never_registers_twice()
    {
        await Candidate("first", 0.20).RunAsync();
        await Candidate("second", 0.30).RunAsync();
        var calls = _evaluator.Calls;

        // The alias moves later (another step, an operator): the decision for this candidate was made and stands.
        await _registry.SetAliasAsync("writer", "champion", 1);
        var again = await Candidate("second", 0.30).RunAsync();
        Assert.All(again.Steps, s => Assert.True(s.Reused));
        Assert.Equal(calls, _evaluator.Calls);
        Assert.Equal(1, (await _registry.ResolveAsync("models:/writer@champion")).Version);

        // The recorded decision is gone from the registry: the gate decides again (and the registered version is reused).
        await _registry.UpdateVersionAsync("writer", 2, new ModelMetadataUpdate { RemoveTags = ["quality_gate.decision"] });
        var decided = await Candidate("second", 0.30).RunAsync();
        Assert.False(decided.Get("promote").Reused);
        Assert.True(decided.Get("register").Reused);
        Assert.Equal(calls + 2, _evaluator.Calls);
        Assert.Equal(2, (await _registry.ResolveAsync("models:/writer@champion")).Version);

        // A crash after registering but before the step was recorded: the next run finds the version by its fingerprint tag.
        File.Delete(Path.Combine(_root, "second", "steps", "register.json"));
        var recovered = await Candidate("second", 0.30).RunAsync();
        Assert.False(recovered.Get("register").Reused);
        Assert.Equal(2, RegisterModelPipelineStep.GetVersion(recovered["register"]).Version);
        var versions = await _registry.SearchVersionsAsync(new ModelVersionQuery { Name = "writer" });
        Assert.Equal(2, versions.Items.Count);
    }

    [Fact]
    public async Task An_evaluation_without_the_gate_metric_fails_with_a_message_that_names_it()
    {
        var gate = new ModelPipeline("bad", Path.Combine(_root, "bad"))
            .Add(new FakeExportStep("export", "score:0.1"))
            .Add(new RegisterModelPipelineStep("register", _registry, "writer", "export"))
            .Add(new PromotePipelineStep("promote", _registry, "register", new QualityGateOptions { Metric = "chrf" }, _evaluator.EvaluateAsync));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync());

        Assert.Contains("decides on 'chrf'", error.Message, StringComparison.Ordinal);
        Assert.Contains("style, bleu", error.Message, StringComparison.Ordinal);
    }
}
