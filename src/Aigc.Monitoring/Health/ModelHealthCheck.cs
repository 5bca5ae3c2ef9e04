using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring;

/// <summary>
/// Unhealthy when a source has no model loaded or its request queue is full, Degraded when a queue passes
/// <see cref="AigcHealthCheckOptions.QueueSaturationDegradedRatio"/>; the worst source decides. Healthy when there is no source.
/// </summary>
internal sealed class ModelHealthCheck(Func<IEnumerable<ModelHealthSnapshot>> probe, IOptionsMonitor<AigcHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.CurrentValue;
        var failure = context.Registration.FailureStatus;
        var status = HealthStatus.Healthy;
        var description = new StringBuilder();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var sources = 0;
        foreach (var snapshot in probe())
        {
            sources++;
            var ratio = FillRatio.Of(snapshot.QueueDepth, snapshot.QueueCapacity);
            var sourceStatus = snapshot.LoadedModels.Count == 0
                ? failure
                : FillRatio.Status(ratio, o.QueueSaturationDegradedRatio, o.QueueSaturationUnhealthyRatio, failure);
            status = sourceStatus < status ? sourceStatus : status;
            data[snapshot.Name] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["loaded_models"] = snapshot.LoadedModels,
                ["queue_depth"] = snapshot.QueueDepth,
                ["queue_capacity"] = snapshot.QueueCapacity,
                ["status"] = sourceStatus.ToString(),
            };
            if (description.Length > 0)
            {
                description.Append("; ");
            }

            description.Append(snapshot.LoadedModels.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{snapshot.Name}: no model loaded")
                : string.Create(CultureInfo.InvariantCulture, $"{snapshot.Name}: {snapshot.LoadedModels.Count} model(s) loaded, queue {snapshot.QueueDepth}/{(snapshot.QueueCapacity > 0 ? snapshot.QueueCapacity.ToString(CultureInfo.InvariantCulture) : "unbounded")}"));
        }

        if (sources == 0)
        {
            description.Append("No model health source is registered.");
        }

        return Task.FromResult(new HealthCheckResult(status, description.ToString(), data: data));
    }
}
