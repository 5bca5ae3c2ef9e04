namespace Aigc;

/// <summary>
/// An alias that was set, moved or removed; <see cref="IModelRegistry.WatchAliasesAsync"/> streams them, first the
/// current assignments (<see cref="IsSnapshot"/>), then every change in commit order.
/// </summary>
public sealed record ModelAliasChange
{
    /// <summary>Gets the model name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the alias.</summary>
    public required string Alias { get; init; }

    /// <summary>Gets the version the alias points at now, or <see langword="null"/> when it was removed.</summary>
    public int? Version { get; init; }

    /// <summary>Gets the version the alias pointed at before, or <see langword="null"/> when it is new (or for a snapshot entry).</summary>
    public int? PreviousVersion { get; init; }

    /// <summary>Gets the change's position in the registry's change log; later changes have larger numbers.</summary>
    public long Sequence { get; init; }

    /// <summary>Gets when the change was made.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>Gets a value indicating whether this is a current assignment sent when the watch began, rather than a change.</summary>
    public bool IsSnapshot { get; init; }

    /// <summary>Gets the alias's URI, <c>models:/&lt;name&gt;@&lt;alias&gt;</c>.</summary>
    public ModelUri AliasUri => ModelUri.ForAlias(Name, Alias);

    /// <summary>Gets the URI of the version the alias points at now, or <see langword="null"/> when it was removed.</summary>
    public ModelUri? VersionUri => Version is { } version ? ModelUri.ForVersion(Name, version) : null;
}
