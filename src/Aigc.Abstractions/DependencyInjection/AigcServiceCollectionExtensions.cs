using Aigc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Aigc in an <see cref="IServiceCollection"/>.</summary>
public static class AigcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services every Aigc package shares, with default <see cref="AigcOptions"/>.
    /// Calling it again registers nothing twice and returns the same builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder that the layer packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddAigc(this IServiceCollection services) => AddAigcCore(services, configuration: null);

    /// <summary>
    /// Adds the services every Aigc package shares and configures <see cref="AigcOptions"/> in code.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the shared options.</param>
    /// <returns>The builder that the layer packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddAigc(this IServiceCollection services, Action<AigcOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddAigcCore(services, configuration: null);
        services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Adds the services every Aigc package shares, binding <see cref="AigcOptions"/> from
    /// <paramref name="configuration"/> (conventionally <c>configuration.GetSection("Aigc")</c>); the layer
    /// packages bind their own options from its sub-sections (<c>Aigc:Data</c>, <c>Aigc:Training</c>, …).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>Aigc</c> configuration section.</param>
    /// <returns>The builder that the layer packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Aigc was already added with a different configuration section.</exception>
    public static AigcBuilder AddAigc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddAigcCore(services, configuration);
    }

    private static AigcBuilder AddAigcCore(IServiceCollection services, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(services);

        var marker = FindMarker(services);
        if (marker is null)
        {
            marker = new AigcMarkerService(new AigcBuilder(services, configuration: null));
            services.AddSingleton(marker);
            services.TryAddSingleton(TimeProvider.System);
            marker.Builder.AddRootOptions();
        }

        var builder = marker.Builder;
        if (configuration is not null)
        {
            if (builder.Configuration is null)
            {
                builder.Configuration = configuration;
            }
            else if (!ReferenceEquals(builder.Configuration, configuration))
            {
                throw new InvalidOperationException(
                    $"AddAigc was already called with the configuration section '{builder.ConfigurationPath}'. " +
                    "Call AddAigc once with the 'Aigc' section and let the layer packages bind their sub-sections.");
            }
        }

        return builder;
    }

    private static AigcMarkerService? FindMarker(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(AigcMarkerService) && descriptor.ImplementationInstance is AigcMarkerService marker)
            {
                return marker;
            }
        }

        return null;
    }
}
