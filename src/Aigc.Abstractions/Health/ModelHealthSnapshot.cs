namespace Aigc;

/// <summary>What a serving component has loaded and how full its request queue is, at one moment.</summary>
/// <param name="Name">The component's name, used in health reports (for example the engine's model name).</param>
/// <param name="LoadedModels">The models loaded and able to serve (empty while loading or after a failed load).</param>
/// <param name="QueueDepth">The requests waiting to run.</param>
/// <param name="QueueCapacity">How many requests may wait before new ones are refused, or 0 when the queue is unbounded.</param>
public sealed record ModelHealthSnapshot(string Name, IReadOnlyList<string> LoadedModels, int QueueDepth, int QueueCapacity);
