namespace Aigc;

/// <summary>A change to the description and tags of a registered model or of a model version.</summary>
public sealed record ModelMetadataUpdate
{
    /// <summary>Gets the new description, or <see langword="null"/> to keep the current one (an empty string clears it).</summary>
    public string? Description { get; init; }

    /// <summary>Gets the tags to add or overwrite.</summary>
    public IReadOnlyDictionary<string, string> SetTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the keys of the tags to remove; a key that is not there is ignored.</summary>
    public IReadOnlyList<string> RemoveTags { get; init; } = [];
}
