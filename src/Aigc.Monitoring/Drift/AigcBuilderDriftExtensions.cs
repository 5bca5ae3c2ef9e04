using Aigc;
using Aigc.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds drift detection to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderDriftExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="DriftMonitor"/>, with <see cref="DriftOptions"/> bound from
    /// <c>Aigc:Monitoring:Drift</c> when <c>AddAigc</c> was given a configuration section, and validated at start-up.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddDriftMonitor(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<DriftOptions>(DriftOptions.SectionName);
        builder.Services.TryAddSingleton(static sp => new DriftMonitor(
            sp.GetRequiredService<IOptions<DriftOptions>>(),
            sp.GetService<ILogger<DriftMonitor>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>Adds the <see cref="DriftMonitor"/> and configures <see cref="DriftOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddDriftMonitor(this AigcBuilder builder, Action<DriftOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddDriftMonitor();
        builder.AddLayerOptions<DriftOptions>(DriftOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the <see cref="DriftMonitor"/> and binds <see cref="DriftOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddDriftMonitor(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddDriftMonitor();
        builder.AddLayerOptions<DriftOptions>(DriftOptions.SectionName).Bind(section);
        return builder;
    }
}
