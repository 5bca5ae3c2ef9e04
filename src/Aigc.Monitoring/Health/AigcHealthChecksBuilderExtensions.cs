using Aigc;
using Aigc.Monitoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aigc health checks to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class AigcHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the online-evaluation backlog check (<see cref="AigcHealthCheckNames.EvaluationBacklog"/>: Healthy below
    /// <see cref="AigcHealthCheckOptions.EvaluationBacklogDegradedRatio"/> of the queue, Degraded up to
    /// <see cref="AigcHealthCheckOptions.EvaluationBacklogUnhealthyRatio"/>, Unhealthy above) and the model check
    /// (<see cref="AigcHealthCheckNames.Models"/>, tagged <see cref="AigcHealthCheckNames.ReadyTag"/>: every registered
    /// <see cref="IModelHealthSource"/> has a model loaded and a request queue below the saturation thresholds).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Configures the thresholds, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddAigcHealthChecks(this IHealthChecksBuilder builder, Action<AigcHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AigcHealthCheckOptions>()
            .Validate(static o => IsOrdered(o.EvaluationBacklogDegradedRatio, o.EvaluationBacklogUnhealthyRatio) && IsOrdered(o.QueueSaturationDegradedRatio, o.QueueSaturationUnhealthyRatio), "AigcHealthCheckOptions: each ratio must lie in [0, 1] and each Degraded ratio must not exceed its Unhealthy ratio.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Add(new HealthCheckRegistration(
            AigcHealthCheckNames.EvaluationBacklog,
            static sp => new EvaluationBacklogHealthCheck(sp.GetService<OnlineEvaluationQueue>(), sp.GetRequiredService<IOptionsMonitor<AigcHealthCheckOptions>>()),
            failureStatus: null,
            tags: [AigcHealthCheckNames.Tag]));
        builder.Add(new HealthCheckRegistration(
            AigcHealthCheckNames.Models,
            static sp => new ModelHealthCheck(
                () => sp.GetServices<IModelHealthSource>().Select(static s => s.GetHealth()).OfType<ModelHealthSnapshot>(),
                sp.GetRequiredService<IOptionsMonitor<AigcHealthCheckOptions>>()),
            failureStatus: null,
            tags: [AigcHealthCheckNames.Tag, AigcHealthCheckNames.ReadyTag]));
        return builder;
    }

    private static bool IsOrdered(double degraded, double unhealthy) => degraded is >= 0 and <= 1 && unhealthy is >= 0 and <= 1 && degraded <= unhealthy;

    /// <summary>
    /// Adds a model check over a delegate, for a serving component that does not implement
    /// <see cref="IModelHealthSource"/>: Unhealthy when it reports no model loaded or a full queue, Degraded past
    /// <see cref="AigcHealthCheckOptions.QueueSaturationDegradedRatio"/>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="probe">Returns the component's state; called on every health probe.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="probe"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static IHealthChecksBuilder AddAigcModelCheck(this IHealthChecksBuilder builder, string name, Func<ModelHealthSnapshot> probe)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(probe);
        builder.Services.AddOptions<AigcHealthCheckOptions>();
        builder.Add(new HealthCheckRegistration(
            name,
            sp => new ModelHealthCheck(() => [probe()], sp.GetRequiredService<IOptionsMonitor<AigcHealthCheckOptions>>()),
            failureStatus: null,
            tags: [AigcHealthCheckNames.Tag, AigcHealthCheckNames.ReadyTag]));
        return builder;
    }
}
