using Aigc.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aigc.Monitoring.Tests.Health;

public sealed class AigcHealthChecksTests
{
    [Theory]
    [InlineData(0, HealthStatus.Healthy)]
    [InlineData(4, HealthStatus.Healthy)]
    [InlineData(5, HealthStatus.Degraded)]
    [InlineData(8, HealthStatus.Degraded)]
    [InlineData(9, HealthStatus.Unhealthy)]
    [InlineData(10, HealthStatus.Unhealthy)]
    public async Task The_evaluation_backlog_maps_the_queue_fill_ratio_to_a_status(int queued, HealthStatus expected)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAigc().AddOnlineEvaluation().AddLayerOptions<MonitoringOptions>(MonitoringOptions.SectionName)
            .Configure(o => (o.EvaluationSampleRate, o.EvaluationQueueCapacity) = (1.0, 10));
        services.AddHealthChecks().AddAigcHealthChecks();
        await using var provider = services.BuildServiceProvider();

        // The hosted service is not started, so nothing drains the queue.
        var sink = provider.GetRequiredService<IOnlineEvaluationSink>();
        for (var i = 0; i < queued; i++)
        {
            Assert.True(sink.TryEnqueue(new EvaluationInput("p", "r"), new OnlineEvaluationContext("req-" + i, "m")));
        }

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == AigcHealthCheckNames.EvaluationBacklog);
        var entry = report.Entries[AigcHealthCheckNames.EvaluationBacklog];
        Assert.Equal(expected, entry.Status);
        Assert.Equal(queued, entry.Data["depth"]);
        Assert.Equal(10, entry.Data["capacity"]);
        Assert.Contains(AigcHealthCheckNames.Tag, entry.Tags);
    }

    [Fact]
    public async Task Thresholds_are_configurable_and_a_missing_queue_is_healthy()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddAigcHealthChecks(o => o.EvaluationBacklogDegradedRatio = 0.1);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[AigcHealthCheckNames.EvaluationBacklog].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[AigcHealthCheckNames.Models].Status);
        Assert.Contains("No model health source", report.Entries[AigcHealthCheckNames.Models].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 0, 10, HealthStatus.Healthy)]
    [InlineData(true, 7, 10, HealthStatus.Healthy)]
    [InlineData(true, 8, 10, HealthStatus.Degraded)]
    [InlineData(true, 10, 10, HealthStatus.Unhealthy)]
    [InlineData(true, 500, 0, HealthStatus.Healthy)] // unbounded queue
    [InlineData(false, 0, 10, HealthStatus.Unhealthy)]
    public async Task The_model_check_reads_every_registered_source(bool loaded, int depth, int capacity, HealthStatus expected)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IModelHealthSource>(new FakeSource(new ModelHealthSnapshot("engine-a", loaded ? ["tiny@3"] : [], depth, capacity)));
        services.AddSingleton<IModelHealthSource>(new FakeSource(new ModelHealthSnapshot("engine-b", ["other@1"], 0, 10)));
        services.AddHealthChecks().AddAigcHealthChecks();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(AigcHealthCheckNames.ReadyTag));
        var entry = Assert.Single(report.Entries).Value;
        Assert.Equal(expected, entry.Status);
        Assert.Equal(expected, report.Status);
        Assert.Contains("engine-a", entry.Description, StringComparison.Ordinal);
        Assert.Contains("engine-b", entry.Description, StringComparison.Ordinal);
        Assert.True(entry.Data.ContainsKey("engine-a"));
    }

    [Fact]
    public async Task A_delegate_model_check_follows_its_probe()
    {
        var state = new ModelHealthSnapshot("engine", [], 0, 4);
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddAigcModelCheck("engine", () => state);
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        Assert.Contains("no model loaded", (await health.CheckHealthAsync()).Entries["engine"].Description, StringComparison.Ordinal);
        state = state with { LoadedModels = ["tiny@3"] };
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        state = state with { QueueDepth = 4 };
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
    }

    [Fact]
    public void Inverted_thresholds_fail_validation()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddAigcHealthChecks(o => o.QueueSaturationDegradedRatio = 0.95 + 0.1);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AigcHealthCheckOptions>>().Value);
        Assert.Contains("Degraded ratio", error.Message, StringComparison.Ordinal);
    }

    private sealed class FakeSource(ModelHealthSnapshot snapshot) : IModelHealthSource
    {
        public ModelHealthSnapshot GetHealth() => snapshot;
    }
}
