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
    /// <see cref="ITextGenerationService"/> (the key is the kernel's service id). With
    /// <see cref="TextGenerationOptions.Model"/> set (a registered model such as <c>@champion</c>), the keyed
    /// <see cref="IChatClient"/> is a <see cref="RoutedChatClient"/> over the keyed <see cref="ModelRouter{TModel}"/> of
    /// <see cref="TextGenerator"/>s, which follows the alias and names the version in every response.
    /// The model is also reported to the health checks (<see cref="IModelHealthSource"/>): the engine loaded and its
    /// waiting requests against one running batch, or, for a registered model, the versions its router serves.
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
            ThrowIfRouted(o, key);
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
            ThrowIfRouted(o, key);
            return new TextGenerator(sp.GetRequiredKeyedService<GenerationEngine>(key), TiktokenTokenizer.CreateForModel(o.Tokenizer), o.ResolveTemplate());
        });
        services.TryAddKeyedSingleton(key, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key);
            if (o.Model is not { } model)
            {
                throw new InvalidOperationException($"Text-generation model '{key}' is a local file, not a registered model: set its Model (for example '@champion') to serve it through a router.");
            }

            if (!ModelTarget.TryParse(model, out var target, out var parseError))
            {
                throw new InvalidOperationException($"Text-generation model '{key}': {parseError}");
            }

            var registry = sp.GetService<IModelRegistry>() ?? throw new InvalidOperationException(
                $"Text-generation model '{key}' is served from the registry ({model}), but no IModelRegistry is registered: call AddModelRegistry() on the Aigc builder.");
            var routing = o.Routing.Clone();
            if (routing.Routes.Count == 0)
            {
                routing.Routes.Add(new ModelRoute { Target = model });
            }

            var meters = sp.GetService<System.Diagnostics.Metrics.IMeterFactory>();
            var time = sp.GetService<TimeProvider>();
            var loader = new TextGeneratorLoader(o.Engine, TiktokenTokenizer.CreateForModel(o.Tokenizer), o.ResolveTemplate(), meterFactory: meters, timeProvider: time)
            {
                Adapters = new Dictionary<string, string>(o.Adapters, StringComparer.Ordinal), // every version the alias moves to serves them
                AdaptersFromVersion = o.AdaptersFromVersion,
            };
            var logger = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("Aigc.Inference.Routing." + key);
            return new ModelRouter<TextGenerator>(registry, target.ModelName ?? key, loader, routing, logger, meters, time);
        });
        services.TryAddKeyedSingleton<IChatClient>(key, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key);
            IChatClient client = o.Model is null
                ? new GenerationChatClient(sp.GetRequiredKeyedService<TextGenerator>(key), [key, .. o.Aliases])
                : new RoutedChatClient(sp.GetRequiredKeyedService<ModelRouter<TextGenerator>>(key), [key, .. o.Aliases]);
            var chat = new ChatClientBuilder(client);
            o.ConfigureChatClient?.Invoke(chat);
            return chat.Build(sp);
        });
        services.TryAddKeyedSingleton(key, (sp, _) => new GenerationKernelService(sp.GetRequiredKeyedService<IChatClient>(key), sp.GetRequiredKeyedService<TextGenerator>(key)));
        services.TryAddKeyedSingleton<IChatCompletionService>(key, (sp, _) => sp.GetRequiredKeyedService<GenerationKernelService>(key));
        services.TryAddKeyedSingleton<ITextGenerationService>(key, (sp, _) => sp.GetRequiredKeyedService<GenerationKernelService>(key));
        return builder;
    }

    private static void ThrowIfRouted(TextGenerationOptions options, string key)
    {
        if (options.Model is { } model)
        {
            throw new InvalidOperationException(
                $"Text-generation model '{key}' is served from the registry ({model}), so its version can change at any time: take the keyed IChatClient (a RoutedChatClient) or ModelRouter<TextGenerator> instead.");
        }
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
