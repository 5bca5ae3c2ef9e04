namespace Aigc.Inference;

/// <summary>Something that happened in a <see cref="ModelRouter{TModel}"/>, raised through its <c>Changed</c> event.</summary>
public sealed record ModelRouterEvent
{
    /// <summary>Gets what happened.</summary>
    public required ModelRouterEventKind Kind { get; init; }

    /// <summary>Gets the model name.</summary>
    public required string ModelName { get; init; }

    /// <summary>Gets the route concerned (for example <c>models:/writer@champion</c>), or <see langword="null"/> for an unload or a watch failure.</summary>
    public string? Route { get; init; }

    /// <summary>Gets the version concerned (switched to, failed, unloaded), or <see langword="null"/>.</summary>
    public int? Version { get; init; }

    /// <summary>Gets the version the route served before a switch, or <see langword="null"/>.</summary>
    public int? PreviousVersion { get; init; }

    /// <summary>Gets why a load or the watch failed, or <see langword="null"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets how long loading and warming up took, for a switch to a newly loaded version; otherwise zero.</summary>
    public TimeSpan LoadDuration { get; init; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset Timestamp { get; init; }
}
