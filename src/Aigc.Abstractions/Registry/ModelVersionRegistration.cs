namespace Aigc;

/// <summary>What <see cref="IModelRegistry.RegisterVersionAsync"/> stores as a new version.</summary>
public sealed record ModelVersionRegistration
{
    /// <summary>Gets the model name; the model is created when it does not exist yet.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the files to copy into the registry (their paths inside the version must be distinct).</summary>
    public IReadOnlyList<ModelArtifactSource> Files { get; init; } = [];

    /// <summary>Gets where the version came from.</summary>
    public ModelLineage Lineage { get; init; } = new();

    /// <summary>Gets the version's description, or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the version's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
