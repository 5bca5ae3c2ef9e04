using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Aigc;

/// <summary>
/// Returned by <c>services.AddAigc()</c>; the layer packages add their services through extension
/// methods on it (<c>AddData()</c>, <c>AddTraining()</c>, <c>AddInference()</c>, <c>AddMonitoring()</c>).
/// </summary>
/// <remarks>
/// A layer extension registers its options with <see cref="AddLayerOptions{TOptions}(string)"/>, which binds
/// them from <c>Aigc:&lt;Layer&gt;</c> when a configuration section was given to <c>AddAigc</c>, validates
/// them at start-up and names each bad key in the error.
/// </remarks>
public sealed class AigcBuilder
{
    private readonly HashSet<Type> _layerOptions = [];

    internal AigcBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>Gets the service collection the Aigc services are registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Gets the configuration section (conventionally <c>Aigc</c>) the options are bound from,
    /// or <see langword="null"/> when <c>AddAigc</c> was called without one.
    /// </summary>
    public IConfiguration? Configuration { get; internal set; }

    /// <summary>Gets the configuration path that prefixes option keys in validation messages.</summary>
    internal string ConfigurationPath => (Configuration as IConfigurationSection)?.Path ?? AigcOptions.SectionName;

    /// <summary>Registers the shared <see cref="AigcOptions"/>, bound from <see cref="Configuration"/> itself.</summary>
    internal void AddRootOptions()
    {
        Services.AddOptions<AigcOptions>()
            .Configure(options => Configuration?.Bind(options))
            .ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AigcOptions>>(
            new DataAnnotationsOptionsValidator<AigcOptions>(this, sectionName: null)));
    }

    /// <summary>
    /// Registers a layer's options: bound from the sub-section <paramref name="sectionName"/> of
    /// <see cref="Configuration"/> when there is one, validated with their DataAnnotations attributes and
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> when the host starts, with an
    /// error naming each bad configuration key. Calling it again for the same options type binds nothing twice.
    /// </summary>
    /// <typeparam name="TOptions">The layer's options class.</typeparam>
    /// <param name="sectionName">The sub-section name, for example <c>Data</c> for <c>Aigc:Data</c>.</param>
    /// <returns>The options builder, for further configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="sectionName"/> is null or white space.</exception>
    public OptionsBuilder<TOptions> AddLayerOptions<TOptions>(string sectionName)
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var builder = Services.AddOptions<TOptions>();
        if (!_layerOptions.Add(typeof(TOptions)))
        {
            return builder;
        }

        // Bound when the options are first built, so a configuration given to a later AddAigc call still applies.
        builder.Configure(options => Configuration?.GetSection(sectionName).Bind(options));
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(
            new DataAnnotationsOptionsValidator<TOptions>(this, sectionName)));
        builder.ValidateOnStart();
        return builder;
    }
}
