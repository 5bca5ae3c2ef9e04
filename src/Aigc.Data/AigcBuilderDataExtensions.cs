using Aigc;
using Aigc.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aigc.Data services to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderDataExtensions
{
    /// <summary>
    /// Adds the data services — the <see cref="IDatasetStore"/> (a <see cref="FileDatasetStore"/> under
    /// <c>Aigc:RootPath</c>/<c>Aigc:Data:DatasetsDirectory</c>) — with <see cref="DataOptions"/> bound from <c>Aigc:Data</c> when
    /// <c>AddAigc</c> was given a configuration section, and validated at start-up.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddData(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<DataOptions>(DataOptions.SectionName);
        builder.Services.TryAddSingleton<IDatasetStore>(static services =>
        {
            var aigc = services.GetRequiredService<IOptions<AigcOptions>>().Value;
            var data = services.GetRequiredService<IOptions<DataOptions>>().Value;
            return new FileDatasetStore(Path.Combine(aigc.GetFullRootPath(), data.DatasetsDirectory), services.GetService<TimeProvider>());
        });
        return builder;
    }

    /// <summary>Adds the data services and configures <see cref="DataOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddData(this AigcBuilder builder, Action<DataOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddData();
        builder.AddLayerOptions<DataOptions>(DataOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the data services and binds <see cref="DataOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddData(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddData();
        builder.AddLayerOptions<DataOptions>(DataOptions.SectionName).Bind(section);
        return builder;
    }
}
