using Aigc;
using Aigc.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aigc.Training services to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderTrainingExtensions
{
    /// <summary>
    /// Adds the training services — a <see cref="CausalLmTrainerFactory"/> that creates trainers with the host's
    /// logging, metrics and clock, an <see cref="OnnxQuantizer"/> for exported decoders, a <see cref="ModelCompressor"/>
    /// for distillation and pruning, and a <see cref="TrainingDataLoader"/> that reads tokenized data from Aigc.Data —
    /// with <see cref="TrainingOptions"/> bound from <c>Aigc:Training</c> (and <see cref="DistillationOptions"/>,
    /// <see cref="MagnitudePruningOptions"/>, <see cref="StructuredPruningOptions"/> from its sub-sections
    /// <c>Distillation</c>, <c>MagnitudePruning</c>, <c>StructuredPruning</c>) when <c>AddAigc</c> was given a configuration
    /// section, and validated at start-up, when TorchSharp's native library is loaded too (a failure to load it is
    /// logged as a warning then, and thrown by the factory when a trainer is first asked for).
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddTraining(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<TrainingOptions>(TrainingOptions.SectionName);
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrainingOptions>, TorchSharpStartupCheck>(
            static provider => new TorchSharpStartupCheck(provider.GetService<ILoggerFactory>())));
        services.TryAddSingleton(static provider => new CausalLmTrainerFactory(
            provider.GetRequiredService<IOptions<AigcOptions>>().Value,
            provider.GetRequiredService<IOptions<TrainingOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            provider.GetService<TimeProvider>()));
        services.TryAddSingleton(static provider => new OnnxQuantizer(provider.GetService<ILogger<OnnxQuantizer>>()));
        builder.AddLayerOptions<DistillationOptions>(DistillationOptions.SectionName);
        builder.AddLayerOptions<MagnitudePruningOptions>(MagnitudePruningOptions.SectionName);
        builder.AddLayerOptions<StructuredPruningOptions>(StructuredPruningOptions.SectionName);
        services.TryAddSingleton(static provider => new ModelCompressor(
            provider.GetRequiredService<IOptions<DistillationOptions>>().Value,
            provider.GetRequiredService<IOptions<MagnitudePruningOptions>>().Value,
            provider.GetRequiredService<IOptions<StructuredPruningOptions>>().Value,
            provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton(static provider => new TrainingDataLoader(
            provider.GetRequiredService<IOptions<AigcOptions>>().Value,
            provider.GetService<IDatasetStore>()));
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
