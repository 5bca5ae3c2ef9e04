using Aigc.Monitoring;
using Aigc.WebApi.Serving;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Aigc.WebApi;

/// <summary>Registers the web host's services: Aigc's registry and feedback store, the served model, metrics and health checks.</summary>
internal static class WebHostBuilderExtensions
{
    public static WebApplicationBuilder AddAigcWebHost(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebHostOptions>()
            .BindConfiguration(WebHostOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(static o => string.IsNullOrWhiteSpace(o.Model) || ModelUri.TryParse(o.Model, out _), "WebApi:Model must be a model URI such as models:/aurora-writer@champion or models:/aurora-writer/2.")
            .ValidateOnStart();

        #region services
        // Aigc: the registry (SQLite under Aigc:RootPath unless configured) and the feedback store (its SQLite file under
        // Aigc:RootPath too, unless Aigc:Monitoring:Feedback says otherwise).
        services.AddAigc(builder.Configuration.GetSection(AigcOptions.SectionName))
            .AddModelRegistry()
            .AddFeedbackStore();
        services.AddOptions<FeedbackOptions>().PostConfigure<IOptions<AigcOptions>>(static (o, aigc) =>
            o.SqlitePath = Path.Combine(aigc.Value.GetFullRootPath(), o.SqlitePath));
        services.TryAddSingleton(TimeProvider.System);

        // The served model: a router over the registry model, so an alias move swaps the version live.
        services.TryAddSingleton<RoutedServedModels>();
        services.TryAddSingleton<IServedModels>(static sp => sp.GetRequiredService<RoutedServedModels>());
        services.AddHostedService(static sp => sp.GetRequiredService<RoutedServedModels>());
        services.AddSingleton<IModelHealthSource>(static sp => sp.GetRequiredService<RoutedServedModels>());

        services.AddOpenTelemetry().ConfigureResource(static r => r.AddService("Aigc.WebApi")).WithMetrics(static metrics => metrics
            .AddAigcInstrumentation()
            .AddPrometheusExporter(static o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddHealthChecks().AddAigcHealthChecks();
        #endregion
        return builder;
    }
}
