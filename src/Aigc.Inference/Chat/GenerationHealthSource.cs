using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Inference;

/// <summary>
/// Reports a text-generation engine registered by <c>AddTextGeneration(key)</c> to the health checks
/// (<see cref="IModelHealthSource"/>): the model is loaded when the engine could be created, the queue depth is the
/// number of requests waiting to join the running batch, and the capacity is one running batch
/// (<see cref="GenerationEngineOptions.MaxRunningSequences"/>): a full batch waiting behind the running one is saturation.
/// </summary>
internal sealed class GenerationHealthSource(IServiceProvider services, string key) : IModelHealthSource
{
    public ModelHealthSnapshot? GetHealth()
    {
        var name = "Aigc.Inference.TextGeneration:" + key;
        GenerationEngine engine;
        try
        {
            engine = services.GetRequiredKeyedService<GenerationEngine>(key);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The engine loads its model on first use; a model that cannot load is reported as not loaded.
            return new ModelHealthSnapshot(name, [], 0, 0);
        }

        var capacity = services.GetRequiredService<IOptionsMonitor<TextGenerationOptions>>().Get(key).Engine.MaxRunningSequences;
        return new ModelHealthSnapshot(name, [engine.ModelName], engine.WaitingSequences, capacity);
    }
}
