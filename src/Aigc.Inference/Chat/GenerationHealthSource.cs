using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Inference;

/// <summary>
/// Reports a text-generation model registered by <c>AddTextGeneration(key)</c> to the health checks
/// (<see cref="IModelHealthSource"/>). A directly served engine is loaded when it could be created; its queue depth
/// is the number of requests waiting to join the running batch and its capacity one running batch
/// (<see cref="GenerationEngineOptions.MaxRunningSequences"/>): a full batch waiting behind the running one is
/// saturation. A model served from the registry (<see cref="TextGenerationOptions.Model"/>) reports the versions its
/// router serves (<c>@champion -> models:/writer/3</c>); none while no version has loaded.
/// </summary>
internal sealed class GenerationHealthSource(IServiceProvider services, string key) : IModelHealthSource
{
    public ModelHealthSnapshot? GetHealth()
    {
        var name = "Aigc.Inference.TextGeneration:" + key;
        var options = services.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key);
        try
        {
            if (options.Model is not null)
            {
                var status = services.GetRequiredKeyedService<ModelRouter<TextGenerator>>(key).GetStatus();
                var serving = status.Routes
                    .Where(static r => r.ServingVersion is not null)
                    .Select(static r => $"{r.Target} -> {r.ServingVersion!.Uri}")
                    .ToList();
                return new ModelHealthSnapshot(name, serving, 0, 0);
            }

            var engine = services.GetRequiredKeyedService<GenerationEngine>(key);
            return new ModelHealthSnapshot(name, [engine.ModelName], engine.WaitingSequences, options.Engine.MaxRunningSequences);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Models load on first use; one that cannot load is reported as not loaded.
            return new ModelHealthSnapshot(name, [], 0, 0);
        }
    }
}
