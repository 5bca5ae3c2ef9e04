using Aigc;
using Aigc.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the model registry to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderRegistryExtensions
{
    /// <summary>
    /// Adds the <see cref="IModelRegistry"/>: a <see cref="SqliteModelRegistry"/> at <c>Aigc:RootPath</c>/<c>registry/registry.db</c>
    /// by default, or a <see cref="PostgresModelRegistry"/> when <c>Aigc:Inference:Registry:ConnectionString</c> is set; model
    /// files go under <c>Aigc:RootPath</c>/<c>registry/artifacts</c>. <see cref="ModelRegistryOptions"/> are bound from
    /// <c>Aigc:Inference:Registry</c> when <c>AddAigc</c> was given a configuration section, and validated at start-up.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddModelRegistry(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<ModelRegistryOptions>(ModelRegistryOptions.SectionName);
        builder.Services.TryAddSingleton<IModelRegistry>(static services =>
        {
            var root = services.GetRequiredService<IOptions<AigcOptions>>().Value.GetFullRootPath();
            var options = services.GetRequiredService<IOptions<ModelRegistryOptions>>().Value;
            var timeProvider = services.GetService<TimeProvider>();
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Aigc.Inference.ModelRegistry");
            var artifacts = Path.Combine(root, options.ArtifactsPath);
            return string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new SqliteModelRegistry(Path.Combine(root, options.DatabasePath), artifacts, options, timeProvider, logger)
                : new PostgresModelRegistry(options.ConnectionString, artifacts, options, timeProvider, logger);
        });
        return builder;
    }

    /// <summary>Adds the model registry and configures <see cref="ModelRegistryOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddModelRegistry(this AigcBuilder builder, Action<ModelRegistryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddModelRegistry();
        builder.AddLayerOptions<ModelRegistryOptions>(ModelRegistryOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the model registry and binds <see cref="ModelRegistryOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddModelRegistry(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddModelRegistry();
        builder.AddLayerOptions<ModelRegistryOptions>(ModelRegistryOptions.SectionName).Bind(section);
        return builder;
    }
}
