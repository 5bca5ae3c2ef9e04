using Aigc.Data;

namespace Aigc.Training.Tests.Pipeline;

public sealed class ModelPipelineCachingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aigc-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_second_run_reuses_every_step_without_running_it()
    {
        var store = new FileDatasetStore(Path.Combine(_root, "datasets"));
        var records = Enumerable.Range(0, 20).Select(i => DataRecord.CreateText($"r{i}", $"text number {i}")).ToList();
        var a = new CountingStep("a", ["data"]);
        var b = new CountingStep("b", ["a"]);
        ModelPipeline Build() => new ModelPipeline("loop", Path.Combine(_root, "pipeline"))
            .Add(new DatasetPipelineStep("data", new DataPipeline("texts", DataSources.InMemory(RecordKind.Text, records)), store))
            .Add(a)
            .Add(b);

        var first = await Build().RunAsync();
        var statuses = new List<ModelPipelineProgress>();
        var second = await Build().RunAsync(new SyncProgress<ModelPipelineProgress>(statuses.Add));

        Assert.All(first.Steps, s => Assert.False(s.Reused));
        Assert.All(second.Steps, s => Assert.True(s.Reused));
        Assert.Equal(["data", "a", "b"], statuses.Select(s => s.StepId));
        Assert.All(statuses, s => Assert.Equal(ModelPipelineStepStatus.Reused, s.Status));
        Assert.Equal(1, a.Runs);
        Assert.Equal(1, b.Runs);
        Assert.Equal(DatasetPipelineStep.GetDataset(first["data"]), DatasetPipelineStep.GetDataset(second["data"]));
        Assert.Equal(first.Get("b").Fingerprint, second.Get("b").Fingerprint);
        Assert.Equal("a", second["b"].GetValue("inputs"));
        Assert.Equal("data", second["a"].GetValue("inputs"));
    }

    [Fact]
    public async Task A_changed_setting_reruns_that_step_and_the_steps_that_read_it_only()
    {
        var a = new CountingStep("a", []);
        var b = new CountingStep("b", ["a"]);
        var c = new CountingStep("c", []);
        var d = new CountingStep("d", ["b", "c"]);
        ModelPipeline Build() => new ModelPipeline("loop", _root).Add(a).Add(b).Add(c).Add(d);
        await Build().RunAsync();

        b.Setting = "changed";
        var second = await Build().RunAsync();

        Assert.Equal((1, 2, 1, 2), (a.Runs, b.Runs, c.Runs, d.Runs));
        Assert.Equal([true, false, true, false], second.Steps.Select(s => s.Reused));
        Assert.Equal("changed,a", second["d"].GetValue("inputs"));
    }

    [Fact]
    public async Task After_a_crash_the_next_run_reuses_the_steps_before_it_and_reruns_the_step_that_crashed()
    {
        var a = new CountingStep("a", []);
        var b = new CountingStep("b", ["a"]) { Fail = true };
        var c = new CountingStep("c", ["b"]);
        ModelPipeline Build() => new ModelPipeline("loop", _root).Add(a).Add(b).Add(c);

        await Assert.ThrowsAsync<IOException>(() => Build().RunAsync());
        Assert.Equal((1, 1, 0), (a.Runs, b.Runs, c.Runs));

        b.Fail = false;
        var second = await Build().RunAsync();

        Assert.Equal((1, 2, 1), (a.Runs, b.Runs, c.Runs));
        Assert.Equal([true, false, false], second.Steps.Select(s => s.Reused));
    }

    [Fact]
    public async Task A_step_whose_output_is_gone_runs_again()
    {
        var store = new FileDatasetStore(Path.Combine(_root, "datasets"));
        var records = Enumerable.Range(0, 5).Select(i => DataRecord.CreateText($"r{i}", $"text {i}")).ToList();
        ModelPipeline Build() => new ModelPipeline("loop", Path.Combine(_root, "pipeline"))
            .Add(new DatasetPipelineStep("data", new DataPipeline("texts", DataSources.InMemory(RecordKind.Text, records)), store));
        await Build().RunAsync();
        Directory.Delete(Path.Combine(_root, "datasets"), recursive: true);

        var second = await Build().RunAsync();

        Assert.False(second.Get("data").Reused);
        Assert.NotNull(await store.FindAsync("texts", DatasetPipelineStep.GetDataset(second["data"]).Fingerprint));
    }

    [Fact]
    public void Bad_pipelines_fail_with_messages_that_name_the_problem()
    {
        var pipeline = new ModelPipeline("loop", _root).Add(new CountingStep("a", []));

        var duplicate = Assert.Throws<ArgumentException>(() => pipeline.Add(new CountingStep("a", [])));
        var unknown = Assert.Throws<ArgumentException>(() => pipeline.Add(new CountingStep("b", ["train"])));
        var badId = Assert.Throws<ArgumentException>(() => new CountingStep("no spaces", []));

        Assert.Contains("already has a step 'a'", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("reads 'train', which is not an earlier step", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'no spaces' is invalid", badId.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new QualityGateOptions { Metric = "style", Margin = -1 }.EnsureValid());
    }
}

/// <summary>Calls a delegate synchronously on every report.</summary>
internal sealed class SyncProgress<T>(Action<T> callback) : IProgress<T>
{
    public void Report(T value) => callback(value);
}
