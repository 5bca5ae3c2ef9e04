using Aigc.Monitoring;

namespace OpenTelemetry.Trace;

/// <summary>Subscribes an OpenTelemetry <see cref="TracerProviderBuilder"/> to the Aigc activity sources.</summary>
public static class AigcTracerProviderBuilderExtensions
{
    /// <summary>Subscribes to every Aigc activity source (<see cref="AigcTelemetryNames.Wildcard"/>).</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddAigcInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(AigcTelemetryNames.Wildcard);
    }
}
