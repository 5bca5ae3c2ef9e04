using System.Diagnostics.Metrics;
using Aigc.Monitoring;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry <see cref="MeterProviderBuilder"/> to the Aigc meters.</summary>
public static class AigcMeterProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to every Aigc meter (<see cref="AigcTelemetryNames.Wildcard"/>) and gives the Aigc histograms
    /// explicit bucket boundaries: the GenAI durations get the seconds-based boundaries of
    /// <see cref="AigcHistogramBuckets"/>, <c>gen_ai.client.token.usage</c> gets token-count boundaries, and any
    /// other Aigc histogram in seconds without bucket advice of its own gets <see cref="AigcHistogramBuckets.Seconds"/>.
    /// </summary>
    /// <remarks>The views apply to instruments of meters whose name starts with <c>Aigc.</c> only; GenAI instruments of other libraries keep their own configuration.</remarks>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddAigcInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(AigcTelemetryNames.Wildcard).AddView(AigcHistogramViews.Select);
    }
}
