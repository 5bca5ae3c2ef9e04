using Aigc;
using Aigc.Training;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aigc.Training services to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderTrainingExtensions
{
    /// <summary>
    /// Adds the training services, with <see cref="TrainingOptions"/> bound from <c>Aigc:Training</c> when
    /// <c>AddAigc</c> was given a configuration section, and validated at start-up.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddTraining(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<TrainingOptions>(TrainingOptions.SectionName);
        return builder;
    }

    /// <summary>Adds the training services and configures <see cref="TrainingOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddTraining(this AigcBuilder builder, Action<TrainingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddTraining();
        builder.AddLayerOptions<TrainingOptions>(TrainingOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the training services and binds <see cref="TrainingOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddTraining(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddTraining();
        builder.AddLayerOptions<TrainingOptions>(TrainingOptions.SectionName).Bind(section);
        return builder;
    }
}
