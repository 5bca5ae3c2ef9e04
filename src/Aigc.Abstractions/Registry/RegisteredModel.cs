namespace Aigc;

/// <summary>A named model in a registry: the container of its numbered versions and its aliases.</summary>
public sealed record RegisteredModel
{
    /// <summary>Gets the model name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the description, or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the aliases and the version number each points at.</summary>
    public IReadOnlyDictionary<string, int> Aliases { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets the highest version number handed out (of any status), or <c>0</c> when there is none.</summary>
    public int LatestVersion { get; init; }

    /// <summary>Gets when the model was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the model, its versions or its aliases last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
