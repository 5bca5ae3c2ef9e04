using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Aigc.Monitoring;

/// <summary>Reports the online-evaluation queue's fill ratio: Healthy, then Degraded, then Unhealthy (see <see cref="AigcHealthCheckOptions"/>).</summary>
internal sealed class EvaluationBacklogHealthCheck(OnlineEvaluationQueue? queue, IOptionsMonitor<AigcHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (queue is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Online evaluation is not registered."));
        }

        var o = options.CurrentValue;
        int depth = queue.Count, capacity = queue.Capacity;
        var ratio = FillRatio.Of(depth, capacity);
        var status = FillRatio.Status(ratio, o.EvaluationBacklogDegradedRatio, o.EvaluationBacklogUnhealthyRatio, context.Registration.FailureStatus);
        var data = new Dictionary<string, object> { ["depth"] = depth, ["capacity"] = capacity, ["fill_ratio"] = ratio };
        var description = string.Create(CultureInfo.InvariantCulture, $"{depth} of {capacity} sampled responses wait for evaluation ({ratio:P0}).");
        return Task.FromResult(new HealthCheckResult(status, description, data: data));
    }
}
