using Aigc;
using Aigc.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.TextGeneration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers served text-generation models on an <see cref="AigcBuilder"/>, keyed per model.</summary>
public static class AigcBuilderGenerationExtensions
{
    /// <summary>
    /// Registers a text-generation model under <paramref name="key"/>, with <see cref="TextGenerationOptions"/> bound from
    /// <c>Aigc:Inference:TextGeneration:&lt;key&gt;</c> when <c>AddAigc</c> was given a configuration section and validated
    /// at start-up. Keyed singletons: <see cref="GenerationEngine"/>, <see cref="TextGenerator"/>, <see cref="IChatClient"/>
    /// (with the options' middleware), and Semantic Kernel's <see cref="IChatCompletionService"/> and
    /// <see cref="ITextGenerationService"/> (the key is the kernel's service id).
    /// The engine is also reported to the health checks (<see cref="IModelHealthSource"/>): loaded, and its waiting
    /// requests against one running batch.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="key">The model's service key.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public static AigcBuilder AddTextGeneration(this AigcBuilder builder, string key)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var path = $"{AigcOptions.SectionName}:Inference:{TextGenerationOptions.SectionName}:{key}";
        var options = builder.Services.AddOptions<TextGenerationOptions>(key);
        if (builder.Configuration is { } configuration)
        {
            options.Bind(configuration.GetSection($"Inference:{TextGenerationOptions.SectionName}:{key}"));
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TextGenerationOptions>>(new TextGenerationOptionsValidator(key, path)));
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        if (!services.Any(d => d.IsKeyedService && d.ServiceType == typeof(GenerationEngine) && Equals(d.ServiceKey, key)))
        {
            services.AddSingleton<IModelHealthSource>(sp => new GenerationHealthSource(sp, key));
        }

        services.TryAddKeyedSingleton(key, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key);
            var engine = new GenerationEngine(o.Engine, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetService<TimeProvider>());
            try
            {
                foreach (var (name, file) in o.Adapters)
                {
                    engine.RegisterAdapter(name, file);
                }
            }
            catch
            {
                engine.Dispose();
                throw;
            }

            return engine;
        });
        services.TryAddKeyedSingleton(key, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key);
            return new TextGenerator(sp.GetRequiredKeyedService<GenerationEngine>(key), TiktokenTokenizer.CreateForModel(o.Tokenizer), o.ResolveTemplate());
        });
        services.TryAddKeyedSingleton<IChatClient>(key, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key);
            var client = new GenerationChatClient(sp.GetRequiredKeyedService<TextGenerator>(key), [key, .. o.Aliases]);
            var chat = new ChatClientBuilder(client);
            o.ConfigureChatClient?.Invoke(chat);
            return chat.Build(sp);
        });
        services.TryAddKeyedSingleton(key, (sp, _) => new GenerationKernelService(sp.GetRequiredKeyedService<IChatClient>(key), sp.GetRequiredKeyedService<TextGenerator>(key)));
        services.TryAddKeyedSingleton<IChatCompletionService>(key, (sp, _) => sp.GetRequiredKeyedService<GenerationKernelService>(key));
        services.TryAddKeyedSingleton<ITextGenerationService>(key, (sp, _) => sp.GetRequiredKeyedService<GenerationKernelService>(key));
        return builder;
    }

    /// <summary>Registers a text-generation model under <paramref name="key"/> and configures its options in code (after any configuration binding).</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="key">The model's service key.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public static AigcBuilder AddTextGeneration(this AigcBuilder builder, string key, Action<TextGenerationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddTextGeneration(key);
        builder.Services.Configure(key, configure);
        return builder;
    }

    /// <summary>Registers a text-generation model under <paramref name="key"/> with options bound from <paramref name="section"/>.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="key">The model's service key.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public static AigcBuilder AddTextGeneration(this AigcBuilder builder, string key, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddTextGeneration(key);
        builder.Services.Configure<TextGenerationOptions>(key, section);
        return builder;
    }
}
