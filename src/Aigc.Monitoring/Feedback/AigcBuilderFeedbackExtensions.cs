using Aigc;
using Aigc.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the feedback store, the user-key hasher and the feedback-to-dataset exporter to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderFeedbackExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="IFeedbackStore"/> (SQLite by default, PostgreSQL when
    /// <see cref="FeedbackOptions.Store"/> says so), a <see cref="UserKeyHasher"/> (needs
    /// <see cref="FeedbackOptions.UserKeySalt"/> when first used) and a <see cref="FeedbackDatasetExporter"/>
    /// (needs an <see cref="IDatasetStore"/>, which <c>AddData()</c> registers). <see cref="FeedbackOptions"/> are
    /// bound from <c>Aigc:Monitoring:Feedback</c> when <c>AddAigc</c> was given a configuration section.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddFeedbackStore(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<FeedbackOptions>(FeedbackOptions.SectionName);
        builder.Services.TryAddSingleton<IFeedbackStore>(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<FeedbackOptions>>().Value;
            return options.Store == FeedbackStoreKind.Postgres
                ? new PostgresFeedbackStore(
                    options.PostgresConnectionString ?? throw new InvalidOperationException("Aigc:Monitoring:Feedback:Store is Postgres but PostgresConnectionString is not set."),
                    options.PostgresSchema)
                : new SqliteFeedbackStore(options.SqlitePath);
        });
        builder.Services.TryAddSingleton(static sp => new UserKeyHasher(sp.GetRequiredService<IOptions<FeedbackOptions>>()));
        builder.Services.TryAddSingleton(static sp => new FeedbackDatasetExporter(sp.GetRequiredService<IFeedbackStore>(), sp.GetRequiredService<IDatasetStore>()));
        return builder;
    }

    /// <summary>Adds the feedback services and configures <see cref="FeedbackOptions"/> in code.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="configure">Configures the options, after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddFeedbackStore(this AigcBuilder builder, Action<FeedbackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddFeedbackStore();
        builder.AddLayerOptions<FeedbackOptions>(FeedbackOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>Adds the feedback services and binds <see cref="FeedbackOptions"/> from the given section.</summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <param name="section">The configuration section to bind the options from.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddFeedbackStore(this AigcBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.AddFeedbackStore();
        builder.AddLayerOptions<FeedbackOptions>(FeedbackOptions.SectionName).Bind(section);
        return builder;
    }
}
