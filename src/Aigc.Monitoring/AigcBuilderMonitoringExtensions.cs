using Aigc;
using Aigc.Monitoring;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aigc.Monitoring services to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderMonitoringExtensions
{
    /// <summary>
    /// Adds the monitoring services — the drift monitor (<c>AddDriftMonitor</c>) and the feedback store with its
    /// dataset exporter (<c>AddFeedbackStore</c>, SQLite under <c>Aigc:RootPath</c> by default) and online evaluation
    /// (<c>AddOnlineEvaluation</c>: a sampled share of live responses scored by the registered evaluators) — with
    /// <see cref="MonitoringOptions"/> bound from <c>Aigc:Monitoring</c> when <c>AddAigc</c> was given a
    /// configuration section, and validated at start-up.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddMonitoring(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<MonitoringOptions>(MonitoringOptions.SectionName);
        builder.AddDriftMonitor();
        builder.AddFeedbackStore();
        builder.AddOnlineEvaluation();
        return builder;
    }

    /// <summary>Adds the monitoring services and configures <see cref="MonitoringOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddMonitoring(this AigcBuilder builder, Action<MonitoringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddMonitoring();
        builder.AddLayerOptions<MonitoringOptions>(MonitoringOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the monitoring services and binds <see cref="MonitoringOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddMonitoring(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddMonitoring();
        builder.AddLayerOptions<MonitoringOptions>(MonitoringOptions.SectionName).Bind(section);
        return builder;
    }
}
