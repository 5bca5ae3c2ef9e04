namespace Aigc;

/// <summary>
/// One numbered version of a registered model: its status, files, lineage, description, tags and aliases.
/// A server that answers with a version reports <see cref="Name"/>, <see cref="Version"/> and <see cref="Uri"/>
/// (and, for the exact bytes, <see cref="Digest"/>), so a response can later be traced to what produced it.
/// </summary>
public sealed record ModelVersion
{
    /// <summary>Gets the registered model's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version number, from 1, counted per model.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the version's status.</summary>
    public ModelVersionStatus Status { get; init; }

    /// <summary>Gets why the version failed, or <see langword="null"/>.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>Gets the description, or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the aliases that point at this version, in name order.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Gets where the version came from.</summary>
    public ModelLineage Lineage { get; init; } = new();

    /// <summary>Gets the version's files, in path order (empty while the version is pending).</summary>
    public IReadOnlyList<ModelArtifact> Artifacts { get; init; } = [];

    /// <summary>
    /// Gets the lower-case hex SHA-256 over the version's file list (one <c>&lt;sha256&gt; &lt;size&gt; &lt;path&gt;\n</c>
    /// line per file, in path order), which names the exact bytes of the version; <see langword="null"/> while pending.
    /// </summary>
    public string? Digest { get; init; }

    /// <summary>Gets when the version was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the version last changed (status, description or tags).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the version's pinned URI, <c>models:/&lt;name&gt;/&lt;version&gt;</c>.</summary>
    public ModelUri Uri => ModelUri.ForVersion(Name, Version);

    /// <summary>Returns the version's URI, <c>models:/&lt;name&gt;/&lt;version&gt;</c>.</summary>
    /// <returns>The URI text.</returns>
    public override string ToString() => Uri.ToString();
}
