using Aigc;
using Aigc.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Aigc.Inference services to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderInferenceExtensions
{
    /// <summary>
    /// Adds the inference services, with <see cref="InferenceOptions"/> bound from <c>Aigc:Inference</c> when
    /// <c>AddAigc</c> was given a configuration section, and validated at start-up. Every model of
    /// <see cref="InferenceOptions.Models"/> with a <see cref="InferenceModelOptions.Path"/> is available as the keyed
    /// service <see cref="BatchedModel"/> under its name (<c>[FromKeyedServices("resnet")] BatchedModel model</c>), loaded
    /// and warmed up on first use and disposed with the container. Every registered model
    /// (<c>o.Models.Add("writer", "@champion")</c>, which needs <c>AddModelRegistry()</c>) is the keyed service
    /// <see cref="ModelRouter{TModel}"/> of <see cref="BatchedModel"/>: it loads the alias's version on first use and
    /// hot-swaps when the alias moves. Calling it again registers nothing twice.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddInference(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<InferenceOptions>(InferenceOptions.SectionName);
        builder.Services.TryAddSingleton<InferenceModelHost>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelHealthSource, InferenceModelHealthSource>());
        builder.Services.TryAddKeyedSingleton<BatchedModel>(KeyedService.AnyKey, static (services, key) =>
            services.GetRequiredService<InferenceModelHost>().Get(ModelKey(key)));
        builder.Services.TryAddKeyedSingleton<ModelRouter<BatchedModel>>(KeyedService.AnyKey, static (services, key) =>
            services.GetRequiredService<InferenceModelHost>().GetRouter(ModelKey(key)));
        return builder;
    }

    private static string ModelKey(object? key) =>
        key as string ?? throw new InvalidOperationException($"Models are keyed by their name (a string), not by {key?.GetType().Name ?? "null"}.");

    /// <summary>Adds the inference services and configures <see cref="InferenceOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddInference(this AigcBuilder builder, Action<InferenceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddInference();
        builder.AddLayerOptions<InferenceOptions>(InferenceOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the inference services and binds <see cref="InferenceOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddInference(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddInference();
        builder.AddLayerOptions<InferenceOptions>(InferenceOptions.SectionName).Bind(section);
        return builder;
    }
}
