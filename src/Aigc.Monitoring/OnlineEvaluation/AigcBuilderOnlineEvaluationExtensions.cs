using Aigc;
using Aigc.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds online evaluation to an <see cref="AigcBuilder"/>.</summary>
public static class AigcBuilderOnlineEvaluationExtensions
{
    /// <summary>
    /// Adds the <see cref="IOnlineEvaluationSink"/> and the hosted service that scores the sampled responses with
    /// every registered <see cref="IEvaluator"/> (see <see cref="AddOnlineEvaluator{TEvaluator}"/>), with
    /// <see cref="MonitoringOptions"/> bound from <c>Aigc:Monitoring</c>. Scores feed the <see cref="DriftMonitor"/>
    /// when one is registered.
    /// </summary>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddOnlineEvaluation(this AigcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLayerOptions<MonitoringOptions>(MonitoringOptions.SectionName);
        builder.Services.TryAddSingleton(static sp => new OnlineEvaluationQueue(
            sp.GetRequiredService<IOptionsMonitor<MonitoringOptions>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.TryAddSingleton<IOnlineEvaluationSink>(static sp => sp.GetRequiredService<OnlineEvaluationQueue>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OnlineEvaluationService>(static sp => new OnlineEvaluationService(
            sp.GetRequiredService<OnlineEvaluationQueue>(),
            sp.GetServices<IEvaluator>(),
            sp.GetService<ILogger<OnlineEvaluationService>>(),
            sp.GetService<DriftMonitor>())));
        return builder;
    }

    /// <summary>Registers an evaluator (a singleton, once per type) for online evaluation.</summary>
    /// <typeparam name="TEvaluator">The evaluator type; it must be thread-safe.</typeparam>
    /// <param name="builder">The Aigc builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AigcBuilder AddOnlineEvaluator<TEvaluator>(this AigcBuilder builder)
        where TEvaluator : class, IEvaluator
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEvaluator, TEvaluator>());
        return builder;
    }
}
